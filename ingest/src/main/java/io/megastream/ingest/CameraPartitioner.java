package io.megastream.ingest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.utils.Utils;

/**
 * Spreads an ingest process's cameras evenly over a topic's partitions: of n configured cameras and
 * P partitions, the i-th goes to partition {@code i·P/n} when n ≤ P (evenly strided, so each of a
 * range assignor's contiguous blocks of partitions gets its share) and {@code i mod P} when n > P;
 * any other key is hashed as Kafka's default partitioner hashes it (murmur2). A camera keeps its
 * partition for as long as the list and the partition count stay the same, so per-camera order
 * holds.
 *
 * <p>Why: {@code frames} is keyed by camera and a worker serves whole partitions. With few cameras
 * the hash piles them up: the load test's 6 cameras landed on 3 of 6 partitions, and a third worker
 * got nothing to do. The spread is per ingest process; several ingest processes with spread lists
 * would stack their first cameras on the same partitions, so give them the default hash or lists
 * that interleave.
 */
public final class CameraPartitioner implements Partitioner {

  /** Producer property: the cameras, comma-separated, in the order they take partitions. */
  public static final String CAMERAS_CONFIG = "megastream.partition.cameras";

  private final Map<String, Integer> index = new HashMap<>();

  /** Producer properties that spread {@code cameras} (in this order). */
  public static Map<String, Object> properties(List<String> cameras) {
    for (String c : cameras) {
      if (c.contains(",")) {
        throw new IllegalArgumentException("camera id " + c + " contains a comma");
      }
    }
    return Map.of(
        ProducerConfig.PARTITIONER_CLASS_CONFIG,
        CameraPartitioner.class.getName(),
        CAMERAS_CONFIG,
        String.join(",", cameras));
  }

  @Override
  public void configure(Map<String, ?> configs) {
    Object list = configs.get(CAMERAS_CONFIG);
    if (list == null || list.toString().isBlank()) {
      return;
    }
    for (String c : list.toString().split(",")) {
      index.putIfAbsent(c, index.size());
    }
  }

  @Override
  public int partition(
      String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
    int partitions = cluster.partitionsForTopic(topic).size();
    Integer i = key == null ? null : index.get(key.toString());
    if (i != null) {
      int n = index.size();
      // fewer cameras than partitions: evenly strided, so that a range assignor's contiguous
      // blocks of partitions each get their share of cameras
      return n <= partitions ? (int) ((long) i * partitions / n) : i % partitions;
    }
    if (keyBytes == null) {
      return ThreadLocalRandom.current().nextInt(partitions);
    }
    return Utils.toPositive(Utils.murmur2(keyBytes)) % partitions;
  }

  @Override
  public void close() {}
}
