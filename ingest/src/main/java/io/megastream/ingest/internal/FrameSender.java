package io.megastream.ingest.internal;

import io.megastream.ingest.IngestStats;
import io.megastream.ingest.queue.FrameQueue;
import io.megastream.proto.Frame;
import io.megastream.proto.Topics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the hand-off queue into the Kafka producer. A delivery failure (after the producer's own
 * retries, bounded by {@code delivery.timeout.ms}) fails the queue, which stops every grab thread:
 * ingest never carries on as if a frame had been sent. Runs on its own thread.
 */
public final class FrameSender implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(FrameSender.class);

  private final FrameQueue<OutgoingFrame> queue;
  private final Producer<String, Frame> producer;
  private final IngestStats stats;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  public FrameSender(
      FrameQueue<OutgoingFrame> queue, Producer<String, Frame> producer, IngestStats stats) {
    this.queue = queue;
    this.producer = producer;
    this.stats = stats;
  }

  /** The first delivery failure, if any. */
  public Throwable failure() {
    return failure.get();
  }

  @Override
  public void run() {
    try {
      while (!queue.isDrained() && failure.get() == null) {
        List<OutgoingFrame> batch = queue.poll(64, Duration.ofMillis(100));
        for (OutgoingFrame f : batch) {
          send(f);
        }
      }
      if (failure.get() != null) {
        // after a delivery failure nothing more is sent: account for what is still queued
        for (OutgoingFrame f : queue.poll(Integer.MAX_VALUE, Duration.ZERO)) {
          stats.camera(f.frame().getCameraId()).recordFailed();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void send(OutgoingFrame out) {
    Frame frame = out.frame();
    String camera = frame.getCameraId();
    IngestStats.Camera counters = stats.camera(camera);
    if (failure.get() != null) {
      counters.recordFailed();
      return;
    }
    try {
      producer.send(
          new ProducerRecord<>(Topics.FRAMES.name(), camera, frame),
          (metadata, error) -> {
            if (error == null) {
              counters.recordSent(out.bytes(), frame.getPersonsCount());
            } else {
              counters.recordFailed();
              fail(camera, frame.getSeq(), error);
            }
          });
    } catch (RuntimeException e) {
      counters.recordFailed();
      fail(camera, frame.getSeq(), e);
    }
  }

  private void fail(String camera, long seq, Throwable error) {
    if (failure.compareAndSet(null, error)) {
      String hint =
          error instanceof RetriableException
                  || error instanceof org.apache.kafka.common.errors.TimeoutException
              ? " (the broker stayed unreachable longer than delivery.timeout.ms / max.block.ms)"
              : "";
      log.error(
          "camera {}: frame seq {} was not delivered to Kafka{}; stopping ingest",
          camera,
          seq,
          hint,
          error);
      queue.fail(error);
    }
  }
}
