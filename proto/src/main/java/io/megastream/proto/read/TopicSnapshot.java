package io.megastream.proto.read;

import io.megastream.proto.Topic;
import io.megastream.proto.serde.RecordRejectedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays an archive topic from the beginning up to the end offsets seen at the start (a consistent
 * snapshot), read_committed and without a consumer group, the way training jobs read their data.
 * Records that do not decode as the topic's message are counted, logged once and skipped. Not
 * thread-safe.
 */
public final class TopicSnapshot {

  private static final Logger log = LoggerFactory.getLogger(TopicSnapshot.class);

  /** Where the snapshot ended and what it skipped. */
  public record Result(String topic, Map<Integer, Long> endOffsets, long records, long rejected) {

    /** "topic[p0:0-123, p1:0-456]", for model provenance. */
    public String provenance() {
      return topic
          + endOffsets.entrySet().stream()
              .map(e -> "p" + e.getKey() + ":0-" + e.getValue())
              .collect(Collectors.joining(", ", "[", "]"));
    }
  }

  private final Map<String, Object> kafka;

  /**
   * @param kafka client properties (bootstrap servers, security)
   */
  public TopicSnapshot(Map<String, Object> kafka) {
    this.kafka = Map.copyOf(kafka);
  }

  /**
   * Reads every record of {@code topic} present at the start and hands each decoded value (with its
   * record) to {@code handler}.
   *
   * @param hint what to tell the user when the topic does not exist
   * @throws IllegalStateException if the topic is missing or the read does not finish in time
   */
  public <V> Result read(
      Topic<String, V> topic,
      Duration timeout,
      String hint,
      BiConsumer<ConsumerRecord<byte[], byte[]>, V> handler) {
    Properties p = new Properties();
    p.putAll(kafka);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    p.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 << 20));
    Map<Integer, Long> ends = new TreeMap<>();
    long records = 0;
    long rejected = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), timeout);
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException("topic '" + topic.name() + "' does not exist: " + hint);
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
              "reading " + topic.name() + " took longer than " + timeout);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.offset() >= endOffsets.get(new TopicPartition(r.topic(), r.partition()))) {
            continue;
          }
          records++;
          V value;
          try {
            value = topic.decodeValue(r.headers(), r.value());
          } catch (RecordRejectedException e) {
            if (rejected++ == 0) {
              log.warn(
                  "{} partition {} offset {}: skipping invalid record: {}",
                  topic.name(),
                  r.partition(),
                  r.offset(),
                  e.getMessage());
            }
            continue;
          }
          handler.accept(r, value);
        }
      }
    }
    if (rejected > 0) {
      log.warn("{}: {} of {} records skipped as invalid", topic.name(), rejected, records);
    }
    return new Result(topic.name(), ends, records, rejected);
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
