package io.megastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.proto.DecodedMesh;
import io.megastream.proto.Topics;
import io.megastream.sink.decode.DecodeApp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product path scored as a user scores it: a {@code synthetic:} camera through ingest, a
 * recover worker and the decode application, then {@code eval product} against the camera's labels.
 * Its own broker, so the worker sees only this camera's frames.
 */
class ProductScoreIT {

  private static final Path MODELS = Path.of("..", "..", "models");

  @Test
  void shouldScoreEveryRecoveredPersonAgainstItsLabel(@TempDir Path dir) throws Exception {
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.builder().optDataDir(dir.resolve("kafka")).build().start()) {
      String bootstrap = broker.bootstrapServers();
      assertThat(Main.execute("topics", "create", "--bootstrap-server", bootstrap))
          .isEqualTo(ExitCodes.OK);

      // Given: 10 frames of 2 people, recovered and decoded
      assertThat(
              Main.execute(
                  "ingest",
                  "--bootstrap-server",
                  bootstrap,
                  "--camera",
                  "score-it=synthetic:persons=2,seed=5,frames=10,size=640x480,fps=25",
                  "--progress-interval",
                  "0"))
          .isEqualTo(ExitCodes.OK);
      assertThat(
              Main.execute(
                  "recover",
                  "--bootstrap-server",
                  bootstrap,
                  "--model",
                  MODELS.resolve("mega").toString(),
                  "--tokenizer",
                  MODELS.resolve("tokenizer").toString(),
                  "--mode",
                  "deterministic",
                  "--metrics-port",
                  "0",
                  "--max-frames",
                  "10"))
          .isEqualTo(ExitCodes.OK);
      int decoded = decode(broker);
      assertThat(decoded).isBetween(10, 20);

      // When
      PrintStream stdout = System.out;
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      int code;
      try {
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        code = Main.execute("eval", "product", "--bootstrap-server", bootstrap);
      } finally {
        System.setOut(stdout);
      }

      // Then: every decoded person is scored, with errors a body model can have
      String out = captured.toString(StandardCharsets.UTF_8);
      System.out.println(out);
      assertThat(code).isEqualTo(ExitCodes.OK);
      assertThat(out).contains("read 10 labels and ");
      Matcher all =
          Pattern.compile(
                  "\\| all \\| (\\d+) \\| ([\\d.]+) \\| ([\\d.]+) \\| ([\\d.]+) \\| ([\\d.]+) \\|"
                      + " ([\\d.]+) \\| ([\\d.]+) \\|")
              .matcher(out);
      assertThat(all.find()).as(out).isTrue();
      assertThat(Integer.parseInt(all.group(1))).isEqualTo(decoded);
      for (int g = 2; g <= 7; g++) {
        assertThat(Double.parseDouble(all.group(g))).isBetween(5.0, 500.0);
      }
      // PA-MPJPE removes rotation and scale: never above the MPJPE of the same meshes
      assertThat(Double.parseDouble(all.group(3)))
          .isLessThanOrEqualTo(Double.parseDouble(all.group(2)));
      assertThat(Double.parseDouble(all.group(6)))
          .isLessThanOrEqualTo(Double.parseDouble(all.group(5)));
    }
  }

  /** Runs the decode application until every result of the worker is decoded; the OK count. */
  private static int decode(EmbeddedKafkaBroker broker) throws Exception {
    int ok = 0;
    try (DecodeApp app =
        new DecodeApp(
            Map.of("bootstrap.servers", broker.bootstrapServers()),
            "score-it-decode",
            MODELS.resolve("tokenizer"))) {
      app.start();
      Properties c = broker.clientProperties();
      c.put("group.id", "score-it-reader-" + UUID.randomUUID());
      c.put("auto.offset.reset", "earliest");
      c.put("isolation.level", "read_committed");
      c.put("max.partition.fetch.bytes", 16 << 20);
      try (KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer.subscribe(List.of(Topics.DECODED.name()));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        int seen = 0;
        long quietSince = System.nanoTime();
        // stop 5 s after the last record: the worker's results are all in the topic already
        while (System.nanoTime() < deadline
            && (seen == 0 || System.nanoTime() - quietSince < 5e9)) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(300))) {
            DecodedMesh d = Topics.DECODED.decodeValue(r.headers(), r.value());
            seen++;
            quietSince = System.nanoTime();
            if (d.getStatus() == io.megastream.proto.RecoveryStatus.RECOVERY_STATUS_OK) {
              ok++;
            }
          }
        }
      }
    }
    return ok;
  }
}
