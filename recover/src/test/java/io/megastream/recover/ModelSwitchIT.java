package io.megastream.recover;

import static io.megastream.recover.RecoverFixtures.config;
import static io.megastream.recover.RecoverFixtures.expectedIds;
import static io.megastream.recover.RecoverFixtures.frames;
import static io.megastream.recover.RecoverFixtures.producer;
import static io.megastream.recover.RecoverFixtures.readCommitted;
import static io.megastream.recover.RecoverFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.broker.testing.SharedKafka;
import io.megastream.mega.inference.PersonRecoverer;
import io.megastream.proto.DeadLetter;
import io.megastream.proto.Frame;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.Topics;
import io.megastream.train.publish.ModelPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A worker follows the models topic and switches versions between batches, mid-stream. */
@ExtendWith(SharedKafka.class)
class ModelSwitchIT {

  @Test
  void shouldSwitchModelMidStreamWithoutLosingOrDuplicatingFrames(
      EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    // Given: a worker following model name "switch-it", and a second version of the model
    String bootstrap = kafka.bootstrapServers();
    Path v2 = dir.resolve("v2");
    copy(Path.of("..", "models", "mega"), v2);
    Path manifest = v2.resolve("mega.json");
    Files.writeString(
        manifest,
        Files.readString(manifest)
            .replaceFirst("\"version\": \"[^\"]*\"", "\"version\": \"it-v2\""));
    List<Frame> first = frames("switch-a", 41, 3, 1);
    List<Frame> second = frames("switch-b", 42, 3, 1);
    try (RecoverWorker worker =
            new RecoverWorker(
                config(bootstrap, "switch", "w-switch")
                    .optMode(PersonRecoverer.Mode.DETERMINISTIC)
                    .optFollowModels(true, "switch-it")
                    .build());
        KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
      worker.start();
      String v1 = worker.modelVersion();

      // When: frames, then a new version on the models topic, then more frames; then a corrupt
      // version, which must not stop the worker
      for (Frame f : first) {
        send(p, Topics.FRAMES, f.getCameraId(), List.of(f));
      }
      readCommitted(
          bootstrap,
          Topics.MESHES,
          m -> m.getFrame().getCameraId().equals("switch-a"),
          got -> got.size() >= first.size(),
          Duration.ofMinutes(2));
      new ModelPublisher(Map.of("bootstrap.servers", bootstrap))
          .publish(v2, "switch-it", Duration.ofSeconds(60));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!worker.modelVersion().equals("it-v2") && System.nanoTime() < deadline) {
        // the switch happens between batches: keep the worker's loop turning
        Thread.sleep(200);
      }
      for (Frame f : second) {
        send(p, Topics.FRAMES, f.getCameraId(), List.of(f));
      }
      List<MeshRecovery> results =
          readCommitted(
              bootstrap,
              Topics.MESHES,
              m -> m.getFrame().getCameraId().startsWith("switch-"),
              got -> got.size() >= first.size() + second.size(),
              Duration.ofMinutes(2));
      io.megastream.proto.ModelVersion corrupt =
          io.megastream.proto.ModelVersion.newBuilder()
              .setSchemaVersion(1)
              .setModelName("switch-it")
              .setVersion("it-broken")
              .setKind("mega")
              .setInlineArtifact(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3}))
              .build();
      send(p, Topics.MODELS, "switch-it", List.of(corrupt));
      List<DeadLetter> dead =
          readCommitted(
              bootstrap,
              Topics.DEAD_LETTER,
              d -> d.getSourceTopic().equals(Topics.MODELS.name()),
              got -> !got.isEmpty(),
              Duration.ofSeconds(60));

      // Then: every frame once; the first camera by v1, the second by v2; corrupt one rejected
      Map<String, Long> counts =
          results.stream()
              .collect(Collectors.groupingBy(RecoverFixtures::id, Collectors.counting()));
      assertThat(counts.keySet())
          .containsExactlyInAnyOrderElementsOf(
              expectedIds(
                  java.util.stream.Stream.concat(first.stream(), second.stream()).toList()));
      assertThat(counts.values()).allMatch(n -> n == 1);
      assertThat(results)
          .filteredOn(m -> m.getFrame().getCameraId().equals("switch-a"))
          .allMatch(m -> m.getModelVersion().equals(v1));
      assertThat(results)
          .filteredOn(m -> m.getFrame().getCameraId().equals("switch-b"))
          .allMatch(m -> m.getModelVersion().equals("it-v2"));
      assertThat(dead).isNotEmpty();
      assertThat(worker.modelVersion()).isEqualTo("it-v2");
      assertThat(worker.failure()).isNull();
    }
  }

  private static void copy(Path from, Path to) throws Exception {
    try (var files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path t = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(t);
        } else {
          Files.copy(f, t);
        }
      }
    }
  }
}
