package io.megastream.mega.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.megastream.mega.model.MegaGenerator.Prediction;
import io.megastream.mega.model.MegaGenerator.Sampling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MegaModelTest {

  private static final int C = 3;
  private static final int F = 4;
  private static final int PATTERNS = 4;
  private static int[][] patterns;
  private static float[][] conditions;
  private static MegaModel trained;
  private static double finalAccuracy;

  /** A tiny model taught that each of 4 conditioning inputs means one token sequence. */
  @BeforeAll
  static void train() {
    Random r = new Random(3);
    patterns = new int[PATTERNS][54];
    conditions = new float[PATTERNS][C * F];
    for (int p = 0; p < PATTERNS; p++) {
      for (int j = 0; j < 54; j++) {
        patterns[p][j] = r.nextInt(512);
      }
      conditions[p][p] = 1f; // a one-hot code in the first conditioning embedding
      conditions[p][F + p % 2] = 0.5f;
    }
    trained = MegaModel.create(MegaConfig.tiny(C, F), MegaModel.Conditioning.POSE);
    try (MegaTrainer t =
        new MegaTrainer(trained, new MegaTrainer.Options(16, 500, 3e-3f, 0, 0.5, 0f, 7))) {
      MegaTrainer.StepStats last = null;
      for (int s = 0; s < 500; s++) {
        List<MegaTrainer.Example> batch = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          int p = r.nextInt(PATTERNS);
          batch.add(new MegaTrainer.Example(patterns[p], conditions[p], null, null, null));
        }
        last = t.step(batch);
      }
      finalAccuracy = last.maskedAccuracy();
    }
  }

  @Test
  void shouldLearnTokenSequencesFromTheirConditioning() {
    // When: the deterministic mode (every slot masked, one pass)
    Prediction[] predictions = new MegaGenerator(trained).deterministic(conditions);

    // Then
    assertThat(finalAccuracy).isGreaterThan(0.9);
    for (int p = 0; p < PATTERNS; p++) {
      assertThat(agreement(predictions[p].tokens(), patterns[p])).isGreaterThan(0.9);
      assertThat(predictions[p].confidence()).isGreaterThan(0.5f);
    }
  }

  @Test
  void shouldSampleTheLearnedSequenceAndRepeatItForTheSameSeed() {
    MegaGenerator g = new MegaGenerator(trained);

    // When
    int[][] a = g.sample(conditions[1], Sampling.conditional(3, 6, 1.0), 42);
    int[][] b = g.sample(conditions[1], Sampling.conditional(3, 6, 1.0), 42);

    // Then
    assertThat(a).hasDimensions(3, 54).isDeepEqualTo(b);
    for (int[] sample : a) {
      assertThat(agreement(sample, patterns[1])).isGreaterThan(0.9);
    }
  }

  @Test
  void shouldFillEverySlotWithACodebookTokenWhenSamplingAnUntrainedModel() {
    try (MegaModel m = MegaModel.create(MegaConfig.tiny(0, 1), MegaModel.Conditioning.NONE)) {
      MegaGenerator g = new MegaGenerator(m);

      // When
      int[][] samples = g.sample(null, Sampling.unconditional(4), 1);
      int[][] other = g.sample(null, Sampling.unconditional(4), 2);

      // Then: no slot is left masked or clamped, and the noise makes seeds differ
      assertThat(samples).hasDimensions(4, 54);
      for (int[] s : samples) {
        assertThat(java.util.Arrays.stream(s).allMatch(t -> t >= 0 && t < 512)).isTrue();
      }
      assertThat(java.util.Arrays.deepEquals(samples, other)).isFalse();
    }
  }

  @Test
  void shouldReadVisibleTokensThroughTheEncoder() {
    try (MegaModel m = MegaModel.create(MegaConfig.tiny(C, F), MegaModel.Conditioning.POSE)) {
      int[][] tokens = new int[2][54];
      tokens[1][0] = 17;
      boolean[][] visible = new boolean[2][54];
      visible[0][0] = true;
      visible[1][0] = true;
      float[][] cond = {conditions[0], conditions[0]};

      // When
      MegaModel.Output out = m.forward(tokens, visible, cond);

      // Then: another token at slot 0 changes the logits of slot 1
      int s = 512;
      float diff = 0;
      for (int k = 0; k < s; k++) {
        diff += Math.abs(out.logits()[54 * s + s + k] - out.logits()[s + k]);
      }
      assertThat(out.logits()).hasSize(2 * 54 * 512);
      assertThat(out.rotCam()).hasDimensions(2, MegaNetwork.ROT_CAM);
      assertThat(diff).isGreaterThan(1e-4f);
    }
  }

  @Test
  void shouldPredictTheSameAfterSaveAndLoad(@TempDir Path dir) throws Exception {
    // Given
    MegaModel.Manifest manifest = new MegaModel.Manifest();
    manifest.version = "test-1";
    trained.save(dir, manifest);

    // When
    try (MegaModel loaded = MegaModel.load(dir)) {
      Prediction[] before = new MegaGenerator(trained).deterministic(conditions);
      Prediction[] after = new MegaGenerator(loaded).deterministic(conditions);

      // Then
      for (int p = 0; p < PATTERNS; p++) {
        assertThat(after[p].tokens()).isEqualTo(before[p].tokens());
        assertThat(after[p].rotCam()).containsExactly(before[p].rotCam());
      }
      assertThat(MegaModel.readManifest(dir).version).isEqualTo("test-1");
      assertThat(loaded.conditioning()).isEqualTo(MegaModel.Conditioning.POSE);
    }
  }

  @Test
  void shouldRefuseAMissingOrCorruptModel(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> MegaModel.load(dir.resolve("nope")))
        .isInstanceOf(MegaLoadException.class)
        .hasMessageContaining("nope");

    trained.save(dir, new MegaModel.Manifest());
    Files.write(dir.resolve(MegaModel.PARAMS), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> MegaModel.load(dir))
        .isInstanceOf(MegaLoadException.class)
        .hasMessageContaining(MegaModel.PARAMS);
  }

  @Test
  void shouldKeepNoArraysInTheModelAfterInferenceOrTraining() {
    try (MegaModel m = MegaModel.create(MegaConfig.tiny(C, F), MegaModel.Conditioning.POSE);
        MegaTrainer t = new MegaTrainer(m, new MegaTrainer.Options(4, 10, 1e-3f, 0, 0.3, 1f, 1))) {
      MegaGenerator g = new MegaGenerator(m);
      List<MegaTrainer.Example> batch = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        batch.add(new MegaTrainer.Example(patterns[i], conditions[i], null, null, null));
      }
      t.step(batch); // the optimiser creates its state on the first steps
      t.step(batch);
      int model = m.djlModel().getNDManager().getManagedArrays().size();

      // When
      for (int i = 0; i < 10; i++) {
        g.deterministic(conditions);
        g.sample(conditions[0], Sampling.conditional(2, 3, 1.0), i);
        t.step(batch);
      }

      // Then: every temporary lived in a per-batch manager that was closed
      assertThat(m.djlModel().getNDManager().getManagedArrays()).hasSize(model);
    }
  }

  @Test
  void shouldTurnSixNumbersIntoARotation() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray r =
          MegaTrainer.rotationFrom6d(
              m.create(
                  new float[] {0.3f, -2f, 0.5f, 1f, 0.2f, -0.7f},
                  new ai.djl.ndarray.types.Shape(1, 6)));
      NDArray identity = r.get(0).transpose().matMul(r.get(0));

      assertThat(identity.toFloatArray())
          .containsExactly(
              new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, org.assertj.core.data.Offset.offset(1e-5f));
    }
  }

  @Test
  void shouldFollowThePapersSchedules() {
    assertThat(Schedules.visibleForTraining(54, 0)).isEqualTo(54);
    assertThat(Schedules.visibleForTraining(54, 0.5)).isEqualTo(38);
    assertThat(Schedules.visibleForTraining(54, 0.999)).isZero();
    assertThat(Schedules.fixedAfterStep(54, 0, 8)).isZero();
    assertThat(Schedules.fixedAfterStep(54, 8, 8)).isEqualTo(54);
    for (int t = 1; t <= 8; t++) {
      assertThat(Schedules.fixedAfterStep(54, t, 8))
          .isGreaterThanOrEqualTo(Schedules.fixedAfterStep(54, t - 1, 8));
    }
    assertThat(Schedules.noise(1.2, 20, 20, 6)).isZero();
  }

  private static double agreement(int[] a, int[] b) {
    int same = 0;
    for (int i = 0; i < a.length; i++) {
      same += a[i] == b[i] ? 1 : 0;
    }
    return (double) same / a.length;
  }
}
