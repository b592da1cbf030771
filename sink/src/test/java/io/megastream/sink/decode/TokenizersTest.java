package io.megastream.sink.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.tokenizer.TokenizerModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which tokenizer decodes which model's results. */
class TokenizersTest {

  static final Path BUNDLED = Path.of("..", "models", "tokenizer");
  static final Path MEGA = Path.of("..", "models", "mega");

  @TempDir static Path dir;
  static Path tokenizerB;
  static Path models;

  /** A second tokenizer (the bundled one under another version) and two model manifests. */
  @BeforeAll
  static void twoTokenizersAndTheirModels() throws Exception {
    tokenizerB = dir.resolve("tokenizer-b");
    Files.createDirectories(tokenizerB);
    String version = TokenizerModel.readManifest(BUNDLED).version;
    Files.writeString(
        tokenizerB.resolve("tokenizer.json"),
        Files.readString(BUNDLED.resolve("tokenizer.json")).replace(version, "tok-b"));
    Files.copy(BUNDLED.resolve("tokenizer.params"), tokenizerB.resolve("tokenizer.params"));
    models = dir.resolve("models");
    String mega = Files.readString(MEGA.resolve("mega.json"));
    String megaVersion = io.megastream.mega.model.MegaModel.readManifest(MEGA).version;
    manifest("model-b", mega.replace(megaVersion, "m-b").replace(version, "tok-b"));
    manifest("model-c", mega.replace(megaVersion, "m-c").replace(version, "tok-c"));
    Files.createDirectories(models.resolve("not-a-model"));
  }

  private static void manifest(String name, String json) throws Exception {
    Files.createDirectories(models.resolve(name));
    Files.writeString(models.resolve(name).resolve("mega.json"), json);
  }

  @Test
  void shouldPickEachModelsTokenizerAndRefuseToGuess() throws Exception {
    try (Tokenizers t =
        Tokenizers.load(
            List.of(BUNDLED, tokenizerB), List.of(models, MEGA), ProceduralBody.build())) {
      String bundledModel = io.megastream.mega.model.MegaModel.readManifest(MEGA).version;
      assertThat(t.versions()).hasSize(2).contains("tok-b");
      assertThat(t.models()).containsExactlyInAnyOrder("m-b", "m-c", bundledModel);

      assertThat(t.forModel("m-b")).isNotSameAs(t.forModel(bundledModel));
      assertThatThrownBy(() -> t.forModel("m-c"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("tok-c")
          .hasMessageContaining("not loaded");
      assertThatThrownBy(() -> t.forModel("m-unknown"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown model version 'm-unknown'");
    }
  }

  @Test
  void shouldDecodeAMixedBatchEachWithItsModelsTokenizer() throws Exception {
    try (Tokenizers t =
        Tokenizers.load(
            List.of(BUNDLED, tokenizerB), List.of(models, MEGA), ProceduralBody.build())) {
      String bundledModel = io.megastream.mega.model.MegaModel.readManifest(MEGA).version;
      MeshDecoder decoder = new MeshDecoder(t);

      List<DecodedPerson> out =
          decoder.decode(List.of(result("m-b", 0), result(bundledModel, 1)), java.util.Map.of());

      // the same weights under two versions: the same tokens give the same mesh
      assertThat(out).hasSize(2);
      assertThat(out.get(0).vertices()).containsExactly(out.get(1).vertices());
      assertThatThrownBy(() -> decoder.decode(List.of(result("m-c", 3)), java.util.Map.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("cam/3/0: model m-c");
    }
  }

  private static io.megastream.proto.MeshRecovery result(String model, long seq) {
    io.megastream.proto.MeshRecovery.Builder b =
        io.megastream.proto.MeshRecovery.newBuilder()
            .setFrame(io.megastream.proto.FrameRef.newBuilder().setCameraId("cam").setSeq(seq))
            .setStatus(io.megastream.proto.RecoveryStatus.RECOVERY_STATUS_OK)
            .setModelVersion(model)
            .setBox(io.megastream.proto.Box.newBuilder().setWidth(50).setHeight(100))
            .addAllRotation6D(List.of(1f, 0f, 0f, 0f, -1f, 0f))
            .addAllCamera(List.of(0.8f, 0f, 0f));
    for (int k = 0; k < 54; k++) {
      b.addTokens(k * 7 % 512);
    }
    return b.build();
  }

  @Test
  void shouldDecodeAnUnknownModelWithTheOnlyTokenizer() throws Exception {
    try (Tokenizers t = Tokenizers.load(List.of(BUNDLED), List.of(), ProceduralBody.build())) {
      assertThat(t.forModel("anything")).isSameAs(t.forModel("else"));
    }
  }
}
