package io.megastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.broker.testing.SharedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** mocap → train mega (tiny, pose) → eval mega, as a user runs them. */
@ExtendWith(SharedKafka.class)
class MegaCommandIT {

  @Test
  void shouldTrainAndEvaluateAPoseConditionedModel(EmbeddedKafkaBroker kafka, @TempDir Path dir)
      throws Exception {
    // Given
    String bootstrap = kafka.bootstrapServers();
    assertThat(
            Main.execute(
                "mocap", "--bootstrap-server", bootstrap, "--clips", "6", "--subjects", "6"))
        .isEqualTo(ExitCodes.OK);

    // When
    int train =
        Main.execute(
            "train",
            "mega",
            "--bootstrap-server",
            bootstrap,
            "--stage",
            "pose",
            "--size",
            "tiny",
            "--tokenizer",
            Path.of("..", "..", "models", "tokenizer").toString(),
            "--steps",
            "4",
            "--batch-size",
            "4",
            "--checkpoint-every",
            "4",
            "--held-out-every",
            "3",
            "--frame-stride",
            "40",
            "--work-dir",
            dir.resolve("work").toString(),
            "--out",
            dir.resolve("mega").toString());
    int eval =
        Main.execute(
            "eval",
            "mega",
            "--model",
            dir.resolve("mega").toString(),
            "--tokenizer",
            Path.of("..", "..", "models", "tokenizer").toString(),
            "--cases",
            "6",
            "--rendered",
            "2",
            "--sweep-cases",
            "2",
            "--qs",
            "1,3",
            "--steps",
            "2",
            "--compare",
            "again=" + dir.resolve("mega"),
            "--out",
            dir.resolve("eval").toString());

    // Then
    assertThat(train).isEqualTo(ExitCodes.OK);
    assertThat(eval).isEqualTo(ExitCodes.OK);
    String report = Files.readString(dir.resolve("eval").resolve("mega.md"));
    assertThat(report)
        .contains("| synthetic landmarks | mega | 6 |")
        .contains("| synthetic landmarks | again | 6 |")
        .contains("| rendered, occlusion < 10 % | mean mesh (true rotation) | 2 |")
        .contains("| rendered, occlusion 25-70 % | tokenizer ceiling (true rotation) | 2 |")
        .contains("| 3 |");
    assertThat(dir.resolve("eval").resolve("qsweep-synthetic.png")).isNotEmptyFile();
    assertThat(dir.resolve("eval").resolve("uncertainty-rendered.png")).isNotEmptyFile();
    assertThat(Main.execute("eval", "mega", "--model", dir.resolve("none").toString()))
        .isEqualTo(ExitCodes.SOURCE_UNAVAILABLE);
  }
}
