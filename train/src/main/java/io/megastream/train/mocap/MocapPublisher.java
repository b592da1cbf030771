package io.megastream.train.mocap;

import io.megastream.mega.body.BodyParams;
import io.megastream.proto.MocapFrame;
import io.megastream.proto.SchemaVersions;
import io.megastream.proto.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes motion sequences to the {@code mocap} topic, one record per frame keyed by sequence id
 * (so a sequence stays in order on one partition), with an idempotent producer; waits for every
 * acknowledgement before returning. Not thread-safe.
 */
public final class MocapPublisher implements AutoCloseable {

  /** One sequence to publish. */
  public record Sequence(
      String id,
      String action,
      String subject,
      float fps,
      List<BodyParams> frames,
      String source) {}

  private final Producer<String, MocapFrame> producer;
  private final String bodyModel;

  /**
   * @param kafka client properties
   * @param bodyModel name of the body model the parameters belong to
   */
  public MocapPublisher(Map<String, Object> kafka, String bodyModel) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd"); // pose floats compress well
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "megastream-mocap");
    p.putAll(kafka);
    this.producer =
        new KafkaProducer<>(
            p, Topics.MOCAP.keySerde().serializer(), Topics.MOCAP.valueSerde().serializer());
    this.bodyModel = bodyModel;
  }

  /**
   * Sends every frame of a sequence (asynchronously; {@link #flush} waits).
   *
   * @return the number of records sent
   */
  public int publish(Sequence s) {
    int n = s.frames().size();
    for (int i = 0; i < n; i++) {
      MocapFrame frame =
          MocapFrame.newBuilder()
              .setSchemaVersion(SchemaVersions.CURRENT)
              .setSequenceId(s.id())
              .setFrameIndex(i)
              .setFrameCount(n)
              .setFps(s.fps())
              .setBody(ProtoBodies.toProto(s.frames().get(i), bodyModel))
              .setAction(s.action())
              .setSubjectId(s.subject())
              .setSource(s.source())
              .build();
      pending.add(producer.send(new ProducerRecord<>(Topics.MOCAP.name(), s.id(), frame)));
    }
    return n;
  }

  private final java.util.List<Future<RecordMetadata>> pending = new java.util.ArrayList<>();

  /**
   * Waits until every record sent so far is acknowledged.
   *
   * @throws IllegalStateException if any record was not delivered
   */
  public void flush(Duration timeout) {
    producer.flush();
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      for (Future<RecordMetadata> f : pending) {
        f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "mocap records not delivered: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("mocap records not acknowledged within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for acknowledgements", e);
    }
    pending.clear();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }
}
