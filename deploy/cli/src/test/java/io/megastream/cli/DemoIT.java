package io.megastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's one demo command, shortened: clip → ingest → recover → results, exactly once; plain,
 * and {@code --secure} (every stage its own SCRAM user with only its ACLs).
 */
class DemoIT {

  @ParameterizedTest(name = "secure={0}")
  @ValueSource(booleans = {false, true})
  void shouldRunTheWholePathOnTheEmbeddedBroker(boolean secure, @TempDir Path dir) {
    // Given
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;

    // When
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      List<String> args =
          new ArrayList<>(
              List.of(
                  "demo",
                  "--seconds",
                  "1",
                  "--cameras",
                  "1",
                  "--samples",
                  "2",
                  "--steps",
                  "2",
                  "--model",
                  Path.of("..", "..", "models", "mega").toString(),
                  "--tokenizer",
                  Path.of("..", "..", "models", "tokenizer").toString(),
                  "--view-port",
                  "0",
                  "--view-seconds",
                  "1",
                  "--work-dir",
                  dir.resolve("demo").toString()));
      if (secure) {
        args.add("--secure");
      }
      code = Main.execute(args.toArray(String[]::new));
    } finally {
      System.setOut(stdout);
    }

    // Then
    String out = captured.toString(StandardCharsets.UTF_8);
    System.out.println(out);
    assertThat(code).isZero();
    assertThat(out)
        .contains("25 of 25 frames read back, none lost or duplicated")
        .contains("25 of 25 frames")
        .contains("one per person per frame (no duplicates)");
    assertThat(dir.resolve("demo").resolve("frame-cam-1.png")).isNotEmptyFile();
    assertThat(dir.resolve("demo").resolve("mesh-cam-1.png")).isNotEmptyFile();
    assertThat(dir.resolve("demo").resolve("overlay-cam-1.mp4")).isNotEmptyFile();
    assertThat(out).contains("overlay video").contains("25 frames");
    assertThat(out).contains("live viewer at http://127.0.0.1:").contains("== The viewer: open");
    assertThat(out).containsPattern("decoded (2[5-9]|[3-9][0-9]) results for the viewer");
    if (secure) {
      assertThat(out).contains("secure: SASL_SSL (SCRAM-SHA-512) with ACLs");
      assertThat(dir.resolve("demo").resolve("kafka/security/recover.properties")).exists();
    }
  }
}
