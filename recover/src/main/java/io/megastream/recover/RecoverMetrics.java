package io.megastream.recover;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The worker's Micrometer meters (Prometheus names {@code megastream_recover_*}): frames and
 * persons, batch sizes, inference and end-to-end latency histograms, the stochastic ratio, skipped
 * and dead-lettered counts; the Kafka consumer's own metrics (lag among them) are bound too.
 * Thread-safe.
 */
final class RecoverMetrics {

  private final MeterRegistry registry;
  private final Counter frames;
  private final Counter persons;
  private final Counter stochastic;
  private final Counter skipped;
  private final Counter deadLettered;
  private final Counter transactionsAborted;
  private final DistributionSummary batchPersons;
  private final Timer inference;
  private final Timer endToEnd;
  private final Timer queueWait;
  private final AtomicLong committedFrames = new AtomicLong();
  private final AtomicLong waiting = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicReference<Double> threshold =
      new java.util.concurrent.atomic.AtomicReference<>(Double.NaN);
  private KafkaClientMetrics consumerMetrics;

  RecoverMetrics(MeterRegistry registry, String workerId) {
    this.registry = registry;
    frames =
        counter(
            "megastream.recover.frames", "frames consumed and accounted for (committed)", workerId);
    persons = counter("megastream.recover.persons", "persons recovered", workerId);
    stochastic =
        counter(
            "megastream.recover.persons.stochastic",
            "persons that went through the stochastic mode",
            workerId);
    skipped =
        counter(
            "megastream.recover.frames.skipped",
            "live mode: frames too old to run, recorded as skipped",
            workerId);
    deadLettered =
        counter(
            "megastream.recover.dead.letters", "records sent to the dead-letter topic", workerId);
    transactionsAborted =
        counter(
            "megastream.recover.transactions.aborted",
            "batches whose transaction was aborted and that will run again",
            workerId);
    batchPersons =
        DistributionSummary.builder("megastream.recover.batch.persons")
            .description("persons per batch")
            .tag("worker", workerId)
            .publishPercentileHistogram()
            .register(registry);
    inference = timer("megastream.recover.inference", "conditioning + MEGA per batch", workerId);
    endToEnd = timer("megastream.recover.end.to.end", "capture to result produced", workerId);
    queueWait = timer("megastream.recover.queue.wait", "polled to batch start", workerId);
    Gauge.builder(
            "megastream.recover.stochastic.ratio",
            () -> persons.count() == 0 ? 0 : stochastic.count() / persons.count())
        .description("share of persons sampled")
        .tag("worker", workerId)
        .register(registry);
    Gauge.builder("megastream.recover.lag.frames", waiting::get)
        .description("frames waiting at the last batch: consumer lag plus polled, not yet run")
        .tag("worker", workerId)
        .register(registry);
    Gauge.builder("megastream.recover.sampling.threshold", threshold::get)
        .description(
            "adaptive threshold on 1 - confidence in force (raised while behind; 1: not sampling)")
        .tag("worker", workerId)
        .register(registry);
  }

  /** What the load governor saw and decided before a batch. */
  void governed(long framesWaiting, double thresholdInForce) {
    waiting.set(framesWaiting);
    threshold.set(thresholdInForce);
  }

  private Counter counter(String name, String description, String workerId) {
    return Counter.builder(name)
        .description(description)
        .tag("worker", workerId)
        .register(registry);
  }

  private Timer timer(String name, String description, String workerId) {
    return Timer.builder(name)
        .description(description)
        .tag("worker", workerId)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry);
  }

  void bindConsumer(Consumer<?, ?> consumer) {
    consumerMetrics = new KafkaClientMetrics(consumer);
    consumerMetrics.bindTo(registry);
  }

  /** A committed batch. */
  void committed(BatchProcessor.Outcome o, int frameCount, long queueWaitNanos) {
    frames.increment(frameCount);
    committedFrames.addAndGet(frameCount);
    persons.increment(o.persons());
    stochastic.increment(o.stochastic());
    skipped.increment(o.stale());
    deadLettered.increment(o.deadLetters().size());
    if (o.persons() > 0) {
      batchPersons.record(o.persons());
      inference.record(Duration.ofNanos(o.inferenceMicros() * 1000));
    }
    queueWait.record(Duration.ofNanos(queueWaitNanos));
    for (var m : o.meshes()) {
      if (m.getTimings().getEndToEndUs() > 0) {
        endToEnd.record(Duration.ofNanos(m.getTimings().getEndToEndUs() * 1000));
      }
    }
  }

  void aborted() {
    transactionsAborted.increment();
  }

  long committedFrames() {
    return committedFrames.get();
  }

  void close() {
    if (consumerMetrics != null) {
      consumerMetrics.close();
    }
  }
}
