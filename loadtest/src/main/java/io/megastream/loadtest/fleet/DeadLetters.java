package io.megastream.loadtest.fleet;

import io.megastream.proto.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the committed records on the dead-letter topic since a time: how the load test learns the
 * dead letters of workers that run in other processes.
 */
final class DeadLetters {

  private DeadLetters() {}

  /** Committed dead letters with a timestamp at or after {@code sinceMillis}. */
  static long countSince(Map<String, Object> kafka, long sinceMillis) {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts =
          c.partitionsFor(Topics.DEAD_LETTER.name()).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      c.assign(parts);
      Map<TopicPartition, Long> since = new HashMap<>();
      parts.forEach(tp -> since.put(tp, sinceMillis));
      Map<TopicPartition, OffsetAndTimestamp> from = c.offsetsForTimes(since);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      for (TopicPartition tp : parts) {
        OffsetAndTimestamp o = from.get(tp);
        c.seek(tp, o == null ? end.get(tp) : o.offset());
      }
      long count = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))
          && System.nanoTime() < deadline) {
        count += c.poll(Duration.ofMillis(500)).count();
      }
      return count;
    }
  }
}
