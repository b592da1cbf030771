package io.megastream.recover;

import io.megastream.mega.body.ProceduralBody;
import io.megastream.proto.Frame;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Frames with known persons in, results out: what the recover ITs share. */
final class RecoverFixtures {

  private RecoverFixtures() {}

  /** Rendered frames of a synthetic scene with its true person boxes (track ids = person + 1). */
  static List<Frame> frames(String camera, long seed, int count, int persons) {
    return io.megastream.train.image.SceneFrames.render(
        io.megastream.train.image.SceneFrames.scene(
            ProceduralBody.build(), seed, count, persons, 320, 240),
        camera,
        "it-run",
        8);
  }

  static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Sends values through a topic's registry serdes and waits for every acknowledgement. */
  static <V> void send(
      KafkaProducer<byte[], byte[]> producer, Topic<String, V> topic, String key, List<V> values)
      throws Exception {
    for (V v : values) {
      producer.send(topic.record(key, v)).get();
    }
  }

  /** Sends raw bytes (for bad-input tests) and waits for the acknowledgement. */
  static void sendRaw(
      KafkaProducer<byte[], byte[]> producer,
      String topic,
      String key,
      byte[] value,
      RecordHeaders h)
      throws Exception {
    producer.send(new ProducerRecord<>(topic, null, key.getBytes(), value, h)).get();
  }

  /**
   * Reads a topic read_committed from the beginning until {@code done} holds for what was read
   * (filtered by {@code keep}) or the timeout passes; returns what was read.
   */
  static <V> List<V> readCommitted(
      String bootstrap,
      Topic<?, V> topic,
      Predicate<V> keep,
      Predicate<List<V>> done,
      Duration timeout) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
    List<V> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo i : c.partitionsFor(topic.name())) {
        parts.add(new TopicPartition(i.topic(), i.partition()));
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!done.test(out) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          V v = topic.decodeValue(r.headers(), r.value());
          if (keep.test(v)) {
            out.add(v);
          }
        }
      }
      // a little longer: duplicates would arrive right behind
      long grace = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() < grace) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          V v = topic.decodeValue(r.headers(), r.value());
          if (keep.test(v)) {
            out.add(v);
          }
        }
      }
    }
    return out;
  }

  /** (camera, seq, person) of a result: what must be unique. */
  static String id(MeshRecovery m) {
    return m.getFrame().getCameraId() + "/" + m.getFrame().getSeq() + "/" + m.getPersonIndex();
  }

  /** Expected result ids of frames: one per person, or one (person −1) for an empty frame. */
  static List<String> expectedIds(List<Frame> frames) {
    List<String> ids = new ArrayList<>();
    for (Frame f : frames) {
      if (f.getPersonsCount() == 0) {
        ids.add(f.getCameraId() + "/" + f.getSeq() + "/-1");
      }
      for (int i = 0; i < f.getPersonsCount(); i++) {
        ids.add(f.getCameraId() + "/" + f.getSeq() + "/" + i);
      }
    }
    return ids;
  }

  /**
   * Commits a new group's offsets at the current end of {@code frames}, so its workers see only
   * what the test sends next (and not every earlier test's frames).
   */
  static void startAtEnd(String bootstrap, String group) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(p)) {
      java.util.Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest =
          new java.util.HashMap<>();
      admin
          .describeTopics(List.of(io.megastream.proto.Topics.FRAMES.name()))
          .allTopicNames()
          .get()
          .get(io.megastream.proto.Topics.FRAMES.name())
          .partitions()
          .forEach(
              i ->
                  latest.put(
                      new TopicPartition(io.megastream.proto.Topics.FRAMES.name(), i.partition()),
                      org.apache.kafka.clients.admin.OffsetSpec.latest()));
      java.util.Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> at =
          new java.util.HashMap<>();
      admin
          .listOffsets(latest)
          .all()
          .get()
          .forEach(
              (tp, r) ->
                  at.put(tp, new org.apache.kafka.clients.consumer.OffsetAndMetadata(r.offset())));
      admin.alterConsumerGroupOffsets(group, at).all().get();
    }
  }

  static RecoverConfig.Builder config(String bootstrap, String group, String worker) {
    return RecoverConfig.builder(bootstrap)
        .optGroupId(group)
        .optWorkerId(worker)
        .optModelDir(java.nio.file.Path.of("..", "models", "mega"))
        .optTokenizerDir(java.nio.file.Path.of("..", "models", "tokenizer"))
        .optSampling(io.megastream.mega.model.MegaGenerator.Sampling.conditional(2, 2, 1.0))
        .optMaxBatchPersons(8)
        .optMaxWait(Duration.ofMillis(30))
        .optTransactionTimeout(Duration.ofSeconds(10))
        .optKafka(
            java.util.Map.of(
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000",
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000",
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "10000"));
  }
}
