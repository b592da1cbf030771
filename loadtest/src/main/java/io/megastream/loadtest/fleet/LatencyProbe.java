package io.megastream.loadtest.fleet;

import io.megastream.proto.MeshRecovery;
import io.megastream.proto.RecoveryMode;
import io.megastream.proto.RecoveryStatus;
import io.megastream.proto.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The load test's independent observer: a read_committed consumer of {@code meshes} (its own group,
 * from the start) that records, per result, when it became readable against when its frame was
 * captured, its status, whether it was sampled and the sampling threshold its worker had in force.
 * Exactly what a downstream subscriber sees. Runs on its own thread.
 */
final class LatencyProbe implements AutoCloseable {

  /** One result as the probe saw it. */
  record Seen(
      double atSeconds,
      double latencyMs,
      String camera,
      long seq,
      int person,
      String worker,
      RecoveryStatus status,
      boolean stochastic,
      float threshold) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private final long startNanos;
  private final List<Seen> seen = new ArrayList<>();
  private final Set<String> frames = new HashSet<>();
  private volatile boolean running = true;
  private long unreadable;

  LatencyProbe(Map<String, Object> kafka, long startNanos) {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "megastream-loadtest-probe-" + System.nanoTime());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.startNanos = startNanos;
    consumer.subscribe(List.of(Topics.MESHES.name()));
    this.thread = new Thread(this::loop, "loadtest-probe");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        long nowUs = System.currentTimeMillis() * 1000;
        double at = (System.nanoTime() - startNanos) / 1e9;
        MeshRecovery m;
        try {
          m = Topics.MESHES.decodeValue(r.headers(), r.value());
        } catch (RuntimeException e) {
          synchronized (this) {
            unreadable++;
          }
          continue;
        }
        double latency = (nowUs - m.getFrame().getCaptureTimeUs()) / 1000.0;
        synchronized (this) {
          seen.add(
              new Seen(
                  at,
                  latency,
                  m.getFrame().getCameraId(),
                  m.getFrame().getSeq(),
                  m.getPersonIndex(),
                  m.getWorkerId(),
                  m.getStatus(),
                  m.getMode() == RecoveryMode.RECOVERY_MODE_STOCHASTIC,
                  m.getSamplingThreshold()));
          frames.add(m.getFrame().getCameraId() + "/" + m.getFrame().getSeq());
        }
      }
    }
  }

  /** Results seen so far (a copy). */
  synchronized List<Seen> seen() {
    return new ArrayList<>(seen);
  }

  /** Distinct frames with at least one result. */
  synchronized int frames() {
    return frames.size();
  }

  synchronized long unreadable() {
    return unreadable;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(5_000);
    consumer.close();
  }
}
