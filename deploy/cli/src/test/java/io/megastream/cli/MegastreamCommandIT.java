package io.megastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.broker.testing.SharedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The command line as scripts use it: exit codes against a real broker. */
@ExtendWith(SharedKafka.class)
class MegastreamCommandIT {

  @TempDir Path dir;

  @Test
  void shouldLeaveExistingTopicsAloneAndExitZero(EmbeddedKafkaBroker kafka) {
    int code = Main.execute("topics", "create", "--bootstrap-server", kafka.bootstrapServers());

    assertThat(code).isEqualTo(ExitCodes.OK);
  }

  @Test
  void shouldIngestAGeneratedClipAndExitZero(EmbeddedKafkaBroker kafka) {
    // Given
    Path clip = dir.resolve("c.mp4");
    assertThat(
            Main.execute(
                "clip",
                "--out",
                clip.toString(),
                "--width",
                "320",
                "--height",
                "240",
                "--seconds",
                "1"))
        .isEqualTo(ExitCodes.OK);

    // When
    int code =
        Main.execute(
            "ingest",
            "--bootstrap-server",
            kafka.bootstrapServers(),
            "--camera",
            "cli-cam=" + clip,
            "--detector",
            "full-frame",
            "--progress-interval",
            "0");

    // Then
    assertThat(code).isEqualTo(ExitCodes.OK);
  }

  @Test
  void shouldExitThreeForAMissingFile(EmbeddedKafkaBroker kafka) {
    int code =
        Main.execute(
            "ingest",
            "--bootstrap-server",
            kafka.bootstrapServers(),
            "--camera",
            "x=" + dir.resolve("missing.mp4"),
            "--progress-interval",
            "0");

    assertThat(code).isEqualTo(ExitCodes.SOURCE_UNAVAILABLE);
  }

  @Test
  void shouldExitFourWhenKafkaIsUnreachable() throws Exception {
    // Given: nobody listens on port 9; short timeouts through --command-config
    Path clip = dir.resolve("c.mp4");
    Main.execute(
        "clip", "--out", clip.toString(), "--width", "320", "--height", "240", "--seconds", "1");
    Path config = dir.resolve("client.properties");
    Files.writeString(config, "default.api.timeout.ms=3000\nrequest.timeout.ms=1000\n");

    // When
    int code =
        Main.execute(
            "ingest",
            "--bootstrap-server",
            "127.0.0.1:9",
            "--command-config",
            config.toString(),
            "--camera",
            "x=" + clip,
            "--progress-interval",
            "0");

    // Then
    assertThat(code).isEqualTo(ExitCodes.KAFKA_UNAVAILABLE);
  }

  @Test
  void shouldExitTwoForInvalidOptions() {
    assertThat(Main.execute("ingest", "--bootstrap-server", "b:1", "--camera", "nourl"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(
            Main.execute(
                "ingest",
                "--bootstrap-server",
                "b:1",
                "--camera",
                "a=b.mp4",
                "--jpeg-quality",
                "0"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(Main.execute("ingest", "--camera", "a=b.mp4")).isEqualTo(ExitCodes.USAGE);
    assertThat(Main.execute("no-such-command")).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void shouldExitThreeWhenTheTokenizerToEvaluateIsMissing() {
    int code =
        Main.execute(
            "eval",
            "tokenizer",
            "--model",
            dir.resolve("none").toString(),
            "--out",
            dir.toString());

    assertThat(code).isEqualTo(ExitCodes.SOURCE_UNAVAILABLE);
  }

  @Test
  void shouldPrintHelpForEveryCommand() {
    for (String[] cmd :
        new String[][] {
          {"--help"},
          {"broker", "--help"},
          {"topics", "create", "--help"},
          {"topics", "list", "--help"},
          {"ingest", "--help"},
          {"clip", "--help"},
          {"mocap", "--help"},
          {"train", "tokenizer", "--help"},
          {"eval", "tokenizer", "--help"},
          {"train", "mega", "--help"},
          {"eval", "mega", "--help"},
          {"eval", "pose", "--help"},
          {"generate", "--help"},
          {"train", "backbone", "--help"},
          {"recover", "--help"},
          {"models", "publish", "--help"},
          {"export", "--help"},
          {"overlay", "--help"},
          {"decode", "--help"},
          {"view", "--help"},
          {"tracks", "--help"},
          {"demo", "--help"}
        }) {
      assertThat(Main.execute(cmd)).as(String.join(" ", cmd)).isZero();
    }
  }
}
