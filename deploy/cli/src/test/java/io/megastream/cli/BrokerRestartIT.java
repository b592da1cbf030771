package io.megastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.proto.Frame;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.Topics;
import io.megastream.proto.admin.TopicCreator;
import io.megastream.recover.RecoverConfig;
import io.megastream.recover.RecoverWorker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The broker stops and comes back (its data dir kept) while ingest and two recover workers run:
 * nothing is lost, nothing is duplicated, and ingest does not report success with frames missing.
 * Its own broker, not the shared one: this test stops it.
 */
class BrokerRestartIT {

  private static final int FRAMES = 40;

  @Test
  void shouldLoseAndDuplicateNothingAcrossABrokerRestartMidStream() throws Exception {
    Path dir = Path.of("target", "kafka-restart-" + UUID.randomUUID());
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().optDataDir(dir).build().start();
    String bootstrap = broker.bootstrapServers();
    try (Admin admin = Admin.create(broker.clientProperties())) {
      TopicCreator.builder(admin).build().create(Topics.all());
    }
    List<RecoverWorker> workers = new ArrayList<>();
    try {
      // Given: two synthetic cameras paced live (5 fps, 8 s), ingest blocking when its queue fills
      CompletableFuture<Integer> ingest =
          CompletableFuture.supplyAsync(
              () ->
                  Main.execute(
                      "ingest",
                      "--bootstrap-server",
                      bootstrap,
                      "--camera",
                      "rs-a=synthetic:persons=1,seed=5,frames=" + FRAMES + ",size=320x240,fps=5",
                      "--camera",
                      "rs-b=synthetic:persons=2,seed=6,frames=" + FRAMES + ",size=320x240,fps=5",
                      "--pace",
                      "native",
                      "--on-full",
                      "block",
                      "--progress-interval",
                      "0"));
      for (String id : List.of("rs-1", "rs-2")) {
        RecoverWorker w = new RecoverWorker(config(bootstrap, id));
        workers.add(w);
        w.start();
      }
      awaitResults(bootstrap, 4, Duration.ofMinutes(2));

      // When: the broker stops for 5 s mid-stream and comes back on the same port and data
      broker.close();
      Thread.sleep(5000);
      broker.start();

      // Then: ingest finishes and, if it says OK, every frame is on the topic exactly once
      int code = ingest.get(5, TimeUnit.MINUTES);
      List<Frame> frames =
          readAll(bootstrap, Topics.FRAMES, Frame::getCameraId, Duration.ofSeconds(20), 2 * FRAMES);
      Set<String> seqs = new HashSet<>();
      for (Frame f : frames) {
        seqs.add(f.getCameraId() + "/" + f.getSeq());
      }
      if (code == ExitCodes.OK) {
        assertThat(seqs).hasSize(2 * FRAMES);
      }
      assertThat(code).as("ingest's exit code").isEqualTo(ExitCodes.OK);
      int persons = 0;
      for (Frame f : frames) {
        persons += Math.max(1, f.getPersonsCount());
      }
      // every frame that reached the topic has one result per person, exactly once
      List<MeshRecovery> results = awaitResults(bootstrap, persons, Duration.ofMinutes(5));
      List<String> ids =
          results.stream()
              .map(
                  m ->
                      m.getFrame().getCameraId()
                          + "/"
                          + m.getFrame().getSeq()
                          + "/"
                          + m.getPersonIndex())
              .toList();
      assertThat(ids).doesNotHaveDuplicates().hasSize(persons);
      assertThat(workers).allSatisfy(w -> assertThat(w.failure()).isNull());
    } finally {
      workers.forEach(RecoverWorker::close);
      broker.close();
      deleteQuietly(dir);
    }
  }

  private static RecoverConfig config(String bootstrap, String id) {
    return RecoverConfig.builder(bootstrap)
        .optGroupId("restart")
        .optWorkerId(id)
        .optModelDir(Path.of("..", "..", "models", "mega"))
        .optTokenizerDir(Path.of("..", "..", "models", "tokenizer"))
        .optMode(io.megastream.mega.inference.PersonRecoverer.Mode.DETERMINISTIC)
        .optMaxBatchPersons(8)
        .optMaxWait(Duration.ofMillis(30))
        .optTransactionTimeout(Duration.ofSeconds(10))
        .optShutdownGrace(Duration.ofSeconds(5))
        .optKafka(
            Map.of(
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000",
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000",
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "20000"))
        .build();
  }

  private static List<MeshRecovery> awaitResults(String bootstrap, int n, Duration timeout) {
    List<MeshRecovery> got =
        readAll(bootstrap, Topics.MESHES, m -> m.getFrame().getCameraId(), timeout, n);
    assertThat(got).as("results").hasSizeGreaterThanOrEqualTo(n);
    return got;
  }

  /** Reads a topic read_committed from the start until {@code n} records of rs- cameras. */
  private static <V> List<V> readAll(
      String bootstrap,
      io.megastream.proto.Topic<?, V> topic,
      java.util.function.Function<V, String> camera,
      Duration timeout,
      int n) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    List<V> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts =
          c.partitionsFor(topic.name()).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      long deadline = System.nanoTime() + timeout.toNanos();
      long grace = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, grace)) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          V v = topic.decodeValue(r.headers(), r.value());
          if (camera.apply(v).startsWith("rs-")) {
            out.add(v);
          }
        }
        if (out.size() >= n && grace == Long.MAX_VALUE) {
          grace = System.nanoTime() + Duration.ofSeconds(2).toNanos(); // duplicates come behind
        }
      }
    }
    return out;
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = java.nio.file.Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (java.io.IOException e) {
      // best effort; target/ goes with mvn clean
    }
  }
}
