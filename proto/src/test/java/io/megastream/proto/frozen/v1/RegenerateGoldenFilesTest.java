package io.megastream.proto.frozen.v1;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Rewrites the committed golden files from {@link GoldenMessages}. Skipped unless run with {@code
 * -Dmegastream.golden.regenerate=true}: the golden files are written once per schema version and
 * then committed, never rewritten by an ordinary build.
 */
@EnabledIfSystemProperty(named = "megastream.golden.regenerate", matches = "true")
class RegenerateGoldenFilesTest {

  @Test
  void shouldWriteOneGoldenFilePerMessageType() throws Exception {
    // Given the module directory (Surefire's working directory)
    Path dir = GoldenMessages.SOURCE_DIR;

    // When
    GoldenMessages.writeAll(dir);

    // Then
    for (String name : GoldenMessages.all().keySet()) {
      assertThat(dir.resolve(name + ".bin")).isNotEmptyFile();
    }
  }
}
