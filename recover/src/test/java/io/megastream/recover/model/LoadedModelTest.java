package io.megastream.recover.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.megastream.mega.inference.PersonRecoverer;
import io.megastream.mega.pose.BlazePose;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadedModelTest {

  private static final Path MODELS = Path.of("..", "models");

  @Test
  void shouldRefuseATokenizerOtherThanTheOneTheModelWasTrainedWith(@TempDir Path dir)
      throws Exception {
    // Given: the bundled tokenizer under another version
    Path other = dir.resolve("tokenizer");
    Files.createDirectories(other);
    try (var files = Files.list(MODELS.resolve("tokenizer"))) {
      for (Path f : files.toList()) {
        Files.copy(f, other.resolve(f.getFileName()));
      }
    }
    Path manifest = other.resolve("tokenizer.json");
    Files.writeString(
        manifest,
        Files.readString(manifest)
            .replaceFirst("\"version\"\\s*:\\s*\"[^\"]*\"", "\"version\": \"tokenizer-other\""));

    // When, then
    assertThatThrownBy(
            () ->
                LoadedModel.load(
                    MODELS.resolve("mega"),
                    other,
                    BlazePose.Variant.LITE,
                    new PersonRecoverer.Options(
                        PersonRecoverer.Mode.DETERMINISTIC,
                        0.5,
                        io.megastream.mega.model.MegaGenerator.Sampling.conditional(2, 2, 1.0),
                        1)))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("predicts the tokens of tokenizer")
        .hasMessageContaining("tokenizer-other");
  }
}
