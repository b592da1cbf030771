package io.megastream.cli;

import io.megastream.proto.DecodedMesh;
import io.megastream.proto.Label;
import io.megastream.proto.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
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
 * Reads {@code labels} and {@code meshes-decoded} from their start to the end they had when reading
 * began (read_committed, no consumer group), for {@code eval product}.
 */
final class ProductReader {

  private static final Logger log = LoggerFactory.getLogger(ProductReader.class);

  /** What was read. */
  record Counts(int labels, int results, int unreadable) {}

  private ProductReader() {}

  static Counts read(
      Map<String, Object> kafka,
      String camera,
      Duration timeout,
      Consumer<Label> labels,
      Consumer<DecodedMesh> results) {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
    int[] counts = new int[3];
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (String topic : List.of(Topics.LABELS.name(), Topics.DECODED.name())) {
        List<PartitionInfo> infos = c.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
          throw new IllegalStateException("topic " + topic + " does not exist");
        }
        infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(parts, timeout));
      end.entrySet().removeIf(e -> e.getValue() == 0);
      long lastLog = System.nanoTime();
      while (!end.isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "read for "
                  + timeout
                  + " and did not reach the end of "
                  + end.keySet()
                  + ": raise --timeout");
        }
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
          if (camera != null && !camera.equals(r.key())) {
            continue;
          }
          try {
            if (r.topic().equals(Topics.LABELS.name())) {
              labels.accept(Topics.LABELS.decodeValue(r.headers(), r.value()));
              counts[0]++;
            } else {
              results.accept(Topics.DECODED.decodeValue(r.headers(), r.value()));
              counts[1]++;
            }
          } catch (io.megastream.proto.serde.RecordRejectedException | IllegalArgumentException e) {
            if (counts[2]++ == 0) {
              log.warn(
                  "eval product: skipping unreadable {}-{}@{}: {} (further ones only counted)",
                  r.topic(),
                  r.partition(),
                  r.offset(),
                  e.getMessage());
            }
          }
        }
        end.entrySet().removeIf(e -> c.position(e.getKey()) >= e.getValue());
        if (System.nanoTime() - lastLog > 10e9) {
          log.info("eval product: {} labels, {} results read", counts[0], counts[1]);
          lastLog = System.nanoTime();
        }
      }
    }
    return new Counts(counts[0], counts[1], counts[2]);
  }
}
