package io.megastream.mega.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.Joint;
import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.SkinnedBodyModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny tokenizer trains for a few steps on the real body model and learns. */
class TokenizerTrainerTest {

  static SkinnedBodyModel body;

  @BeforeAll
  static void buildBody() {
    body = ProceduralBody.build();
  }

  static TokenizerConfig tiny() {
    int v = body.vertexCount();
    return new TokenizerConfig(
        new int[] {v, 360, 54}, new int[] {8, 16, 32}, 5, 5, 3, 64, 9, 0.25, 0.9, 10, 0.1);
  }

  static List<BodyParams> bodies(int n, long seed) {
    Random r = new Random(seed);
    List<BodyParams> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] pose = new double[72];
      // arms down and a random bend of elbows and knees: coordinated, simple motion
      double bend = r.nextDouble();
      pose[Joint.LEFT_SHOULDER.ordinal() * 3 + 2] = -1.2;
      pose[Joint.RIGHT_SHOULDER.ordinal() * 3 + 2] = 1.2;
      pose[Joint.LEFT_ELBOW.ordinal() * 3 + 1] = -1.5 * bend;
      pose[Joint.RIGHT_ELBOW.ordinal() * 3 + 1] = 1.5 * bend;
      pose[Joint.LEFT_KNEE.ordinal() * 3] = 1.2 * bend;
      pose[Joint.RIGHT_KNEE.ordinal() * 3] = 1.2 * (1 - bend);
      double[] shape = new double[body.shapeCount()];
      shape[0] = r.nextGaussian();
      out.add(new BodyParams(pose, shape, new double[3]));
    }
    return out;
  }

  @Test
  void shouldLearnToReconstructAndRoundTripThroughASavedDirectory(@TempDir Path dir)
      throws Exception {
    // Given
    List<BodyParams> train = bodies(64, 1);
    List<BodyParams> heldOut = bodies(16, 2);
    try (TokenizerModel model = TokenizerModel.create(body, tiny());
        TokenizerTrainer trainer = new TokenizerTrainer(model, 8, 80, 3e-3f, 0, 7)) {
      double first = trainer.train(train, 1, s -> {});
      TokenizerMetrics before = trainer.evaluate(heldOut);

      // When
      double last = trainer.train(train, 79, s -> {});
      TokenizerMetrics after = trainer.evaluate(heldOut);
      System.out.printf(
          "tiny tokenizer: train PVE %.1f -> %.1f mm; held-out %s -> %s%n",
          first, last, before, after);

      // Then: it learns, and tokens are valid codebook indices
      assertThat(after.pveMm()).isLessThan(before.pveMm() * 0.7);
      assertThat(after.perplexity()).isGreaterThan(2);
      TokenizerModel.Manifest manifest = new TokenizerModel.Manifest();
      manifest.version = "test";
      manifest.steps = trainer.step();
      model.save(dir, manifest);
      List<float[]> meshes = List.of(model.batches().canonicalMesh(heldOut.get(0)));
      int[][] tokens = model.encode(meshes);
      assertThat(tokens[0]).hasSize(54);
      assertThat(java.util.Arrays.stream(tokens[0]).boxed().toList())
          .allSatisfy(t -> assertThat(t).isBetween(0, 63));

      try (TokenizerModel loaded = TokenizerModel.load(dir, body)) {
        assertThat(loaded.encode(meshes)).isEqualTo(tokens);
        assertThat(loaded.decode(tokens).get(0)).isEqualTo(model.decode(tokens).get(0));
      }
    }
  }

  @Test
  void shouldRefuseAMissingDirectoryWithAClearMessage(@TempDir Path dir) {
    assertThatThrownBy(() -> TokenizerModel.load(dir.resolve("nope"), body))
        .isInstanceOf(TokenizerLoadException.class)
        .hasMessageContaining("no tokenizer at");
  }
}
