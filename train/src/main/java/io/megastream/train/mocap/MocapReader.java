package io.megastream.train.mocap;

import io.megastream.proto.MocapFrame;
import io.megastream.proto.Topics;
import io.megastream.proto.serde.RecordRejectedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays the {@code mocap} archive topic from the beginning up to the end offsets seen at the
 * start (a consistent snapshot), without a consumer group. Records that are not valid MocapFrames
 * are counted and skipped. Not thread-safe.
 */
public final class MocapReader {

  private static final Logger log = LoggerFactory.getLogger(MocapReader.class);

  /** What was read, with provenance. */
  public record Result(
      List<MocapSequence> sequences, Map<Integer, Long> endOffsets, long records, long rejected) {

    /** "mocap[p0:0-123, p1:0-456]" for manifests. */
    public String provenance() {
      return Topics.MOCAP.name()
          + endOffsets.entrySet().stream()
              .map(e -> "p" + e.getKey() + ":0-" + e.getValue())
              .collect(Collectors.joining(", ", "[", "]"));
    }
  }

  private final Map<String, Object> kafka;

  /**
   * @param kafka client properties (bootstrap servers, security)
   */
  public MocapReader(Map<String, Object> kafka) {
    this.kafka = Map.copyOf(kafka);
  }

  /**
   * Reads every sequence.
   *
   * @throws IllegalStateException if the topic is missing or the read does not finish in time
   */
  public Result readAll(Duration timeout) {
    Properties p = new Properties();
    p.putAll(kafka);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    Map<String, Map<Integer, MocapFrame>> bySequence = new HashMap<>();
    long records = 0;
    long rejected = 0;
    Map<Integer, Long> ends = new TreeMap<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(Topics.MOCAP.name(), timeout);
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException(
            "topic '"
                + Topics.MOCAP.name()
                + "' does not exist: publish motion with `megastream mocap`");
      }
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo i : infos) {
        parts.add(new TopicPartition(i.topic(), i.partition()));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> endOffsets = consumer.endOffsets(parts, timeout);
      endOffsets.forEach((tp, off) -> ends.put(tp.partition(), off));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!reachedEnd(consumer, endOffsets)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "reading " + Topics.MOCAP.name() + " took longer than " + timeout);
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.offset() >= endOffsets.get(new TopicPartition(r.topic(), r.partition()))) {
            continue;
          }
          records++;
          try {
            MocapFrame f = Topics.MOCAP.decodeValue(r.headers(), r.value());
            bySequence
                .computeIfAbsent(f.getSequenceId(), k -> new TreeMap<>())
                .put(f.getFrameIndex(), f);
          } catch (RecordRejectedException e) {
            if (rejected++ == 0) {
              log.warn(
                  "mocap partition {} offset {}: skipping invalid record: {}",
                  r.partition(),
                  r.offset(),
                  e.getMessage());
            }
          }
        }
      }
    }
    List<MocapSequence> sequences = new ArrayList<>();
    new TreeMap<>(bySequence)
        .forEach(
            (id, frames) -> {
              MocapFrame first = frames.values().iterator().next();
              sequences.add(
                  new MocapSequence(
                      id,
                      first.getAction(),
                      first.getSubjectId(),
                      first.getFps(),
                      frames.values().stream()
                          .map(f -> ProtoBodies.fromProto(f.getBody()))
                          .toList()));
            });
    return new Result(sequences, ends, records, rejected);
  }

  private static boolean reachedEnd(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
