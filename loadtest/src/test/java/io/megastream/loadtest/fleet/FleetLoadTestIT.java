package io.megastream.loadtest.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.cli.SyntheticSceneSource;
import io.megastream.mega.inference.PersonRecoverer;
import io.megastream.proto.Topics;
import io.megastream.proto.admin.TopicCreator;
import io.megastream.recover.RecoverConfig;
import io.megastream.recover.RecoverWorker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short fleet run on the embedded broker writes a complete report with every frame accounted. */
class FleetLoadTestIT {

  private static final Path MODELS = Path.of("..", "models");

  @Test
  void shouldAccountForEveryFrameAndWriteTheReport(@TempDir Path dir) throws Exception {
    // When: 2 cameras x 2 fps for 5 s, paced as live
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    FleetSummary s =
        FleetLoadTest.run(
            new FleetLoadTest.Options(
                2,
                2,
                5,
                1,
                1,
                null,
                dir,
                MODELS.resolve("mega"),
                MODELS.resolve("tokenizer"),
                PersonRecoverer.Mode.DETERMINISTIC,
                Duration.ZERO,
                true,
                -1,
                -1),
            SyntheticSceneSource::create,
            new PrintStream(log, true, StandardCharsets.UTF_8));

    // Then
    assertThat(s.framesSent()).isEqualTo(20);
    assertThat(s.framesWithResult()).isEqualTo(20);
    assertThat(s.personsOk()).isBetween(10L, 20L);
    assertThat(s.latencyP50Ms()).isPositive().isLessThanOrEqualTo(s.latencyP99Ms());
    assertThat(s.stochasticShare()).isZero();
    JsonObject json =
        JsonParser.parseString(Files.readString(dir.resolve("summary.json"))).getAsJsonObject();
    assertThat(json.get("latencyP50Ms").getAsDouble()).isEqualTo(s.latencyP50Ms());
    assertThat(json.get("latencyP99Ms").getAsDouble()).isEqualTo(s.latencyP99Ms());
    assertThat(Files.readString(dir.resolve("report.md"))).contains("end-to-end p50 / p90 / p99");
    for (String png :
        new String[] {
          "latency.png", "throughput.png", "lag.png", "resources.png", "sampling.png"
        }) {
      byte[] head = Files.readAllBytes(dir.resolve(png));
      assertThat(head).hasSizeGreaterThan(1000);
      assertThat(new String(head, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }
  }

  @Test
  void shouldStayExactlyOnceWhenAWorkerProcessIsKilled(@TempDir Path dir) throws Exception {
    // Given: two workers, each a JVM of its own (megastream recover), memory sampled as in a soak
    // When: 2 cameras x 1 fps for 16 s, and the first worker SIGKILLed 4 s in
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    FleetSummary s =
        FleetLoadTest.run(
            new FleetLoadTest.Options(
                2,
                1,
                16,
                1,
                2,
                null,
                dir,
                MODELS.resolve("mega"),
                MODELS.resolve("tokenizer"),
                PersonRecoverer.Mode.DETERMINISTIC,
                Duration.ZERO,
                true,
                -1,
                -1,
                true,
                4,
                true,
                null),
            SyntheticSceneSource::create,
            new PrintStream(log, true, StandardCharsets.UTF_8));

    // Then: the survivor took the dead worker's cameras over; nothing lost, nothing twice
    assertThat(s.killedAtSeconds()).isPositive();
    assertThat(s.framesSent()).isEqualTo(32);
    assertThat(s.framesWithResult()).isEqualTo(32);
    assertThat(s.duplicateResults()).isZero();
    assertThat(s.resultsByWorker()).containsKey("loadtest-2");
    assertThat(s.resultsByWorker().get("loadtest-2")).isGreaterThan(s.personsOk() / 2);
    assertThat(Files.readString(dir.resolve("report.md"))).contains("worker SIGKILLed at");
    assertThat(dir.resolve("worker-1.log")).isNotEmptyFile();
    // and the soak's memory record read both workers' RSS and their JVM's native memory account
    assertThat(s.memory()).containsKeys("loadtest-1", "loadtest-2");
    assertThat(s.memory().get("loadtest-2").rssStartMb()).isGreaterThan(100);
    assertThat(s.memory().get("loadtest-2").nmtStartMb()).isGreaterThan(10);
    assertThat(dir.resolve("memory.png")).isNotEmptyFile();
  }

  @Test
  void shouldDriveAndObserveWorkersItAttachesTo(@TempDir Path dir) throws Exception {
    // Given: a cluster with a recover worker of its own running in group "production"
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
      Map<String, Object> kafka = new HashMap<>();
      broker.clientProperties().forEach((k, v) -> kafka.put(k.toString(), v));
      try (Admin admin = Admin.create(kafka)) {
        TopicCreator.builder(admin).build().create(Topics.all());
      }
      try (RecoverWorker worker =
          new RecoverWorker(
              RecoverConfig.builder(String.valueOf(kafka.get("bootstrap.servers")))
                  .optKafka(kafka)
                  .optGroupId("production")
                  .optWorkerId("already-running")
                  .optModelDir(MODELS.resolve("mega"))
                  .optTokenizerDir(MODELS.resolve("tokenizer"))
                  .optMode(PersonRecoverer.Mode.DETERMINISTIC)
                  .optMetricsPort(-1)
                  .build())) {
        worker.start();

        // When: the load test attaches to that group instead of starting workers
        FleetSummary s =
            FleetLoadTest.run(
                new FleetLoadTest.Options(
                    1,
                    2,
                    4,
                    1,
                    1,
                    kafka,
                    dir,
                    MODELS.resolve("mega"),
                    MODELS.resolve("tokenizer"),
                    PersonRecoverer.Mode.DETERMINISTIC,
                    Duration.ZERO,
                    true,
                    -1,
                    -1,
                    false,
                    -1,
                    false,
                    "production"),
                SyntheticSceneSource::create,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        // Then: every frame came back from the worker that was already there
        assertThat(s.framesSent()).isEqualTo(8);
        assertThat(s.framesWithResult()).isEqualTo(8);
        assertThat(s.resultsByWorker()).containsOnlyKeys("already-running");
        assertThat(s.attachedGroup()).isEqualTo("production");
        assertThat(Files.readString(dir.resolve("report.md")))
            .contains("already running in group production");
      }
    }
  }
}
