package io.megastream.recover;

import io.megastream.mega.inference.PersonRecoverer;
import io.megastream.proto.DeadLetter;
import io.megastream.proto.Topics;
import io.megastream.proto.deadletter.DeadLetters;
import io.megastream.recover.health.HealthServer;
import io.megastream.recover.model.LoadedModel;
import io.megastream.recover.model.ModelFollower;
import io.megastream.recover.model.ModelLoadException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recover worker: consumes {@code frames} in a consumer group, builds batches across partitions
 * and cameras (closed by size or by the oldest frame's wait: dynamic batching), runs them through
 * {@link BatchProcessor}, and produces the results, the dead letters and the consumed offsets in
 * one Kafka transaction per batch, so a crash, a rebalance or a restart neither loses nor
 * duplicates a result for read_committed readers. Follows the {@code models} topic when asked and
 * switches versions between batches. Serves /health and /metrics. One thread of its own; {@link
 * #close} finishes the batch in flight and commits it (or aborts it) before returning.
 */
public final class RecoverWorker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RecoverWorker.class);

  /** What the worker has done so far. */
  public record Stats(
      long frames, long batches, long persons, long stochastic, long deadLetters, long aborted) {}

  private final RecoverConfig config;
  private final BatchProcessor processor;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final RecoverMetrics metrics;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final ModelFollower follower;
  private final HealthServer health;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final List<BatchProcessor.Polled> pending = new ArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile LoadedModel model;
  private volatile boolean running;
  private volatile boolean assigned;
  private volatile boolean crashBeforeCommit;
  private long batches;
  private long persons;
  private long stochastic;
  private long deadLetters;
  private long aborted;

  /**
   * Loads the model and creates the clients; nothing runs until {@link #start}.
   *
   * @throws ModelLoadException if the model is missing or corrupt (a clear start-up error)
   * @throws IOException if the health port cannot be bound
   */
  public RecoverWorker(RecoverConfig config) throws ModelLoadException, IOException {
    this.config = config;
    this.processor = new BatchProcessor(config);
    this.model =
        LoadedModel.load(
            config.modelDir(), config.tokenizerDir(), config.poseVariant(), recovererOptions());
    this.metrics = new RecoverMetrics(registry, config.workerId());
    Properties c = new Properties();
    c.putAll(config.kafka());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(64));
    c.putIfAbsent(
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(Topics.FRAME_MAX_BYTES));
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "recover-" + config.workerId());
    consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    Properties p = new Properties();
    p.putAll(config.kafka());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
        String.valueOf(config.transactionTimeout().toMillis()));
    p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(16 << 20));
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "recover-" + config.workerId());
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    metrics.bindConsumer(consumer);
    follower =
        config.followModels()
            ? new ModelFollower(
                config.kafka(),
                config.modelName(),
                Path.of(
                    System.getProperty("java.io.tmpdir"), "megastream-models-" + config.workerId()))
            : null;
    health =
        config.metricsPort() >= 0
            ? new HealthServer(
                config.metricsHost(),
                config.metricsPort(),
                () -> running && failure.get() == null,
                () -> running && assigned && model != null,
                registry::scrape)
            : null;
    thread = new Thread(this::loop, "recover-" + config.workerId());
  }

  private PersonRecoverer.Options recovererOptions() {
    return new PersonRecoverer.Options(
        config.mode(), config.threshold(), config.sampling(), config.workerId().hashCode());
  }

  /** Starts consuming. */
  public void start() {
    running = true;
    if (follower != null) {
      follower.start();
    }
    thread.start();
  }

  /** The version of the model in use. */
  public String modelVersion() {
    return model.version();
  }

  /** The health/metrics port, or -1 when not serving. */
  public int healthPort() {
    return health == null ? -1 : health.port();
  }

  /** The Prometheus text of the worker's metrics. */
  public String scrape() {
    return registry.scrape();
  }

  /** Whether the worker has partitions assigned (it is part of the group). */
  public boolean isAssigned() {
    return assigned;
  }

  /** Why the worker stopped on its own, or null while it runs (or after a clean close). */
  public Throwable failure() {
    return failure.get();
  }

  public synchronized Stats stats() {
    return new Stats(metrics.committedFrames(), batches, persons, stochastic, deadLetters, aborted);
  }

  /**
   * Test hook that simulates a crash: the next batch is produced into its transaction and then the
   * worker's thread dies without committing, aborting or closing anything, as a killed process
   * would.
   */
  void crashBeforeNextCommit() {
    crashBeforeCommit = true;
  }

  /** Waits until the worker's thread has ended. */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void loop() {
    try {
      producer.initTransactions();
      consumer.subscribe(List.of(Topics.FRAMES.name()), new Rebalance());
      while (running) {
        long waitMs =
            pending.isEmpty()
                ? 200
                : Math.max(
                    0, config.maxWait().toMillis() - BatchProcessor.oldestWait(pending).toMillis());
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(waitMs))) {
          pending.add(BatchProcessor.Polled.of(r));
        }
        if (!pending.isEmpty()
            && (personsPending() >= config.maxBatchPersons()
                || BatchProcessor.oldestWait(pending).compareTo(config.maxWait()) >= 0)) {
          runBatch();
        }
        maybeSwitchModel();
      }
    } catch (WakeupException e) {
      // close() asked us to stop; nothing is in flight (wakeup only interrupts poll)
    } catch (SimulatedCrash e) {
      log.warn("recover {}: simulated crash before commit", config.workerId());
      stopped.countDown();
      return; // no cleanup at all, as a killed process
    } catch (ProducerFencedException | InvalidProducerEpochException | AuthorizationException e) {
      failure.set(e);
      log.error(
          "recover {}: stopping: {} (another instance took over, or access was denied)",
          config.workerId(),
          e.toString());
    } catch (RuntimeException e) {
      failure.set(e);
      log.error("recover {}: stopping on an unexpected error", config.workerId(), e);
    } finally {
      if (stopped.getCount() > 0) {
        running = false;
        closeClients();
        stopped.countDown();
      }
    }
  }

  private int personsPending() {
    int n = 0;
    for (BatchProcessor.Polled p : pending) {
      n += Math.max(1, p.persons());
    }
    return n;
  }

  /** One batch in one transaction: results, dead letters and the consumed offsets. */
  private void runBatch() {
    // at most maxBatchPersons persons (but at least one frame); the rest waits for the next batch
    List<BatchProcessor.Polled> batch = new ArrayList<>();
    int n = 0;
    while (!pending.isEmpty()) {
      int next = Math.max(1, pending.get(0).persons());
      if (!batch.isEmpty() && n + next > config.maxBatchPersons()) {
        break;
      }
      batch.add(pending.remove(0));
      n += next;
    }
    long queueWait = BatchProcessor.oldestWait(batch).toNanos();
    BatchProcessor.Outcome outcome = processor.process(batch, model);
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (BatchProcessor.Polled p : batch) {
      TopicPartition tp = new TopicPartition(p.record().topic(), p.record().partition());
      offsets.merge(
          tp,
          new OffsetAndMetadata(p.record().offset() + 1),
          (a, b) -> a.offset() >= b.offset() ? a : b);
    }
    producer.beginTransaction();
    try {
      for (var m : outcome.meshes()) {
        producer.send(Topics.MESHES.record(m.getFrame().getCameraId(), m));
      }
      for (var s : outcome.samples()) {
        producer.send(Topics.SAMPLES.record(s.getFrame().getCameraId(), s));
      }
      for (DeadLetter d : outcome.deadLetters()) {
        producer.send(Topics.DEAD_LETTER.record(d.getSourceKey().toByteArray(), d));
        log.warn(
            "recover {}: {} partition {} offset {} to dead-letter: {}",
            config.workerId(),
            d.getSourceTopic(),
            d.getSourcePartition(),
            d.getSourceOffset(),
            d.getDetail());
      }
      producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      if (crashBeforeCommit) {
        producer.flush(); // the results are in the log, uncommitted
        throw new SimulatedCrash();
      }
      producer.commitTransaction();
    } catch (ProducerFencedException | InvalidProducerEpochException | AuthorizationException e) {
      throw e; // fatal for this instance
    } catch (SimulatedCrash e) {
      throw e;
    } catch (KafkaException e) {
      // retriable or abortable: nothing of this batch is visible; run it again
      log.warn(
          "recover {}: transaction of {} frames aborted, they run again: {}",
          config.workerId(),
          batch.size(),
          e.toString());
      producer.abortTransaction();
      rewind(batch);
      metrics.aborted();
      synchronized (this) {
        aborted++;
      }
      return;
    }
    metrics.committed(outcome, batch.size(), queueWait);
    synchronized (this) {
      batches++;
      persons += outcome.persons();
      stochastic += outcome.stochastic();
      deadLetters += outcome.deadLetters().size();
    }
  }

  /** Seeks every partition of an aborted batch back to its first record. */
  private void rewind(List<BatchProcessor.Polled> batch) {
    Map<TopicPartition, Long> first = new HashMap<>();
    for (BatchProcessor.Polled p : batch) {
      first.merge(
          new TopicPartition(p.record().topic(), p.record().partition()),
          p.record().offset(),
          Math::min);
    }
    // records polled after the batch would come again from the broker: drop them here
    pending.removeIf(
        p -> first.containsKey(new TopicPartition(p.record().topic(), p.record().partition())));
    Collection<TopicPartition> mine = consumer.assignment();
    first.forEach(
        (tp, offset) -> {
          if (mine.contains(tp)) {
            consumer.seek(tp, offset);
          }
        });
  }

  /** Between batches: take a newer version from the models topic if one arrived. */
  private void maybeSwitchModel() {
    if (follower == null) {
      return;
    }
    ModelFollower.Candidate c = follower.take(model.version());
    if (c == null) {
      return;
    }
    Exception error = c.error();
    if (error == null) {
      try {
        LoadedModel next =
            LoadedModel.load(
                c.dir(), config.tokenizerDir(), config.poseVariant(), recovererOptions());
        LoadedModel old = model;
        model = next;
        old.close();
        log.info(
            "recover {}: switched from model {} to {}",
            config.workerId(),
            old.version(),
            next.version());
        return;
      } catch (ModelLoadException e) {
        error = e;
      }
    }
    log.error(
        "recover {}: model version {} rejected, keeping {}: {}",
        config.workerId(),
        c.version(),
        model.version(),
        error.getMessage());
    DeadLetter d =
        DeadLetters.of("recover", c.record(), error).setWorkerId(config.workerId()).build();
    producer.beginTransaction();
    producer.send(Topics.DEAD_LETTER.record(d.getSourceKey().toByteArray(), d));
    producer.commitTransaction();
    synchronized (this) {
      deadLetters++;
    }
  }

  /** Drops polled-but-unprocessed records of partitions this worker no longer owns. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      drop(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      drop(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      assigned = !consumer.assignment().isEmpty() || !partitions.isEmpty();
      log.info("recover {}: assigned {}", config.workerId(), partitions);
    }

    private void drop(Collection<TopicPartition> partitions) {
      pending.removeIf(
          p -> partitions.contains(new TopicPartition(p.record().topic(), p.record().partition())));
      assigned = !consumer.assignment().isEmpty();
    }
  }

  /** Thrown by the crash test hook; never caught except to end the thread. */
  private static final class SimulatedCrash extends RuntimeException {
    SimulatedCrash() {
      super("simulated crash", null, false, false);
    }
  }

  private void closeClients() {
    try {
      consumer.close(Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      log.warn("recover {}: closing the consumer: {}", config.workerId(), e.toString());
    }
    try {
      producer.close(Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      log.warn("recover {}: closing the producer: {}", config.workerId(), e.toString());
    }
  }

  /**
   * Stops: a batch in flight finishes and commits; an idle poll is woken up. Then closes clients,
   * the model, the follower and the health server.
   */
  @Override
  public void close() {
    running = false;
    if (thread.isAlive()) {
      consumer.wakeup();
      try {
        if (!thread.isAlive() || !stopped.await(60, TimeUnit.SECONDS)) {
          log.warn("recover {}: the worker thread did not stop within 60 s", config.workerId());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else if (stopped.getCount() > 0) {
      closeClients(); // never started
      stopped.countDown();
    }
    if (follower != null) {
      follower.close();
    }
    if (health != null) {
      health.close();
    }
    metrics.close();
    model.close();
  }
}
