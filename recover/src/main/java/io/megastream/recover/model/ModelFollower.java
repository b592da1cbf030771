package io.megastream.recover.model;

import io.megastream.mega.files.ModelFiles;
import io.megastream.proto.ModelVersion;
import io.megastream.proto.Topics;
import io.megastream.proto.serde.RecordRejectedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted {@code models} topic for one model name, from the beginning, on its own
 * thread, and keeps the newest version seen unpacked on disk. The worker takes it between batches
 * ({@link #take}), so a switch never splits a batch. Thread-safe.
 */
public final class ModelFollower implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ModelFollower.class);

  /**
   * A version to switch to.
   *
   * @param version the model version
   * @param dir the unpacked model directory; null when {@code error} is set
   * @param record the models record it came from (for the dead-letter topic)
   * @param error why the record cannot be used, or null
   */
  public record Candidate(
      String version, Path dir, ConsumerRecord<byte[], byte[]> record, Exception error) {}

  private final Map<String, Object> kafka;
  private final String modelName;
  private final Path workDir;
  private final AtomicReference<Candidate> latest = new AtomicReference<>();
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean started;

  /**
   * @param workDir where versions are unpacked
   */
  public ModelFollower(Map<String, Object> kafka, String modelName, Path workDir) {
    this.kafka = Map.copyOf(kafka);
    this.modelName = modelName;
    this.workDir = workDir;
    Properties p = new Properties();
    p.putAll(this.kafka);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(64 << 20));
    p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(64 << 20));
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    thread = new Thread(this::loop, "models-follower-" + modelName);
    thread.setDaemon(true);
  }

  /** Starts following. */
  public void start() {
    started = true;
    thread.start();
  }

  /** The newest version seen if it differs from {@code current}, else null; taking it clears it. */
  public Candidate take(String current) {
    Candidate c = latest.get();
    if (c == null || c.version().equals(current)) {
      return null;
    }
    return latest.compareAndSet(c, null) ? c : null;
  }

  private void loop() {
    try {
      List<PartitionInfo> infos =
          consumer.partitionsFor(Topics.MODELS.name(), Duration.ofSeconds(30));
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo i : infos) {
        parts.add(new TopicPartition(i.topic(), i.partition()));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.key() != null && modelName.equals(new String(r.key(), StandardCharsets.UTF_8))) {
            Candidate c = unpack(r);
            if (c != null) {
              latest.set(c);
            }
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("models follower for '{}' stopped: {}", modelName, e.getMessage(), e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private Candidate unpack(ConsumerRecord<byte[], byte[]> r) {
    if (r.value() == null) {
      return null; // a tombstone: the model name was retired; keep what runs
    }
    ModelVersion mv;
    try {
      mv = Topics.MODELS.decodeValue(r.headers(), r.value());
    } catch (RecordRejectedException e) {
      return new Candidate("offset-" + r.offset(), null, r, e);
    }
    try {
      if (!mv.getKind().isEmpty() && !mv.getKind().equals("mega")) {
        throw new IOException("model kind is " + mv.getKind() + ", not mega");
      }
      Path dir;
      if (mv.hasInlineArtifact()) {
        byte[] zip = mv.getInlineArtifact().toByteArray();
        if (!mv.getArtifactSha256().isEmpty()
            && !mv.getArtifactSha256().equals(ModelFiles.sha256(zip))) {
          throw new IOException("artifact SHA-256 does not match " + mv.getArtifactSha256());
        }
        dir = workDir.resolve(mv.getVersion().replaceAll("[^A-Za-z0-9._-]", "_"));
        if (!Files.isDirectory(dir)) {
          Path tmp = Files.createTempDirectory(Files.createDirectories(workDir), "unpack");
          ModelFiles.unzip(zip, tmp);
          Files.move(tmp, dir);
        }
      } else if (mv.getArtifactUri().startsWith("file:")) {
        dir = Path.of(java.net.URI.create(mv.getArtifactUri()));
      } else {
        throw new IOException("no usable artifact (inline or file:) in version " + mv.getVersion());
      }
      log.info("models: version {} of '{}' at offset {}", mv.getVersion(), modelName, r.offset());
      return new Candidate(mv.getVersion(), dir, r, null);
    } catch (IOException | IllegalArgumentException e) {
      return new Candidate(mv.getVersion(), null, r, e);
    }
  }

  @Override
  public void close() {
    running = false;
    if (!started) {
      consumer.close(Duration.ofSeconds(5));
      return;
    }
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
