package io.megastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.ingest.DetectorUnavailableException;
import io.megastream.ingest.IngestException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IngestRunnerTest {

  @Test
  void shouldExitThreeWhenTheDetectorsModelCannotLoadAndFourWhenKafkaCannotBeReached() {
    // Given
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(err, true, StandardCharsets.UTF_8);

    // When
    int model =
        IngestRunner.startFailure(
            new DetectorUnavailableException("detector blazepose cannot load its model", null),
            out);
    int kafka = IngestRunner.startFailure(new IngestException("no broker", null), out);

    // Then
    assertThat(model).isEqualTo(ExitCodes.SOURCE_UNAVAILABLE).isEqualTo(3);
    assertThat(kafka).isEqualTo(ExitCodes.KAFKA_UNAVAILABLE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("megastream ingest: detector blazepose cannot load its model");
  }
}
