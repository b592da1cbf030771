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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
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
 * switches versions between batches. Serves /health and /metrics.
 *
 * <p>Pipelined (the default), inference runs on a thread of its own while the worker's thread keeps
 * polling, so the next batch is already polled, and its wait counted, when the one in flight
 * commits; fetching pauses once enough records wait. One batch is in flight at a time and commits
 * before the next is cut, so offsets and results stay in order. A rebalance finishes and commits
 * the batch in flight before it hands partitions over (it still belongs to the old generation); a
 * lost partition drops it unsent. In live mode the adaptive threshold rises while frames pile up
 * ({@link LoadGovernor}) and every result carries the threshold in force.
 *
 * <p>No record can stop a partition. Work per batch is bounded (person cap per frame, inference in
 * chunks, a sampling budget). A record whose worker dies with it in flight is counted in the
 * group's committed offset itself: every commit stores, as the offset's metadata, "one attempt
 * begun" for the record at that offset, and a clean hand-over (revoke, close) rewrites it to zero.
 * A new owner that reads a non-zero count knows the previous owner died mid-batch: it runs that
 * partition's next {@code maxBatchPersons} records one per transaction, writes the head record's
 * attempt count before running it, and dead-letters it as {@code PROCESSING_FAILED} instead of
 * running it once it failed {@code maxAttempts − 1} times. The count so survives every worker's
 * death, is written atomically with the offsets it belongs to, and costs no extra write on a normal
 * batch.
 *
 * <p>The worker id names both the transactional id and the static group membership ({@code
 * group.instance.id}): a restarted worker with the same id takes its partitions back without a
 * rebalance and fences its dead predecessor's producer at once. {@link #close} cancels the batch in
 * flight between two inference chunks and returns within {@code shutdownGrace}; native resources
 * are never closed while the worker thread may still use them.
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
  private volatile Predicate<ConsumerRecord<byte[], byte[]>> crashWhileProcessing = r -> false;
  private volatile boolean cancel;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile boolean started;

  /** Partitions whose previous owner died mid-batch: run one record per transaction. */
  private final Map<TopicPartition, Suspect> suspects = new HashMap<>();

  /** What to commit on a clean hand-over: the next offset with the count of attempts owed. */
  private final Map<TopicPartition, OffsetAndMetadata> handOver = new HashMap<>();

  /** Adaptive threshold in force, from the frames waiting before each batch. */
  private final LoadGovernor governor;

  /** Pipelined: the thread inference runs on (null: on the worker's own thread). */
  private final java.util.concurrent.ExecutorService inference;

  /** Pipelined: the batch whose inference runs, not yet committed (worker thread only). */
  private InFlight inFlight;

  /** Whether fetching is paused because enough polled records wait (worker thread only). */
  private boolean paused;

  /** A batch handed to the inference thread, with when it was cut and its own cancel flag. */
  private record InFlight(
      List<BatchProcessor.Polled> batch,
      java.util.concurrent.Future<BatchProcessor.Outcome> outcome,
      long queueWait,
      AtomicBoolean dropped) {}

  /** While a batch runs, the worker's thread polls this often (and commits as soon as it ends). */
  private static final Duration IN_FLIGHT_POLL = Duration.ofMillis(10);

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
            config.modelDir(),
            config.tokenizerDir(),
            config.poseVariant(),
            config.poseEngine(),
            recovererOptions());
    warmUp(model, "the model at " + config.modelDir());
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
    // static membership: a restart with the same id takes its partitions back without a rebalance
    c.putIfAbsent(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.workerId());
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
    governor = new LoadGovernor(config.threshold(), config.lagBound());
    inference =
        config.pipelined()
            ? java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> {
                  Thread t = new Thread(r, "recover-" + config.workerId() + "-inference");
                  t.setDaemon(true);
                  return t;
                })
            : null;
    thread = new Thread(this::loop, "recover-" + config.workerId());
  }

  /**
   * Each inference path once before the model serves, so the first batch is not the slowest.
   *
   * @param what the model, for the error
   * @throws ModelLoadException (the model closed) if it fails even on a blank input
   */
  private void warmUp(LoadedModel m, String what) throws ModelLoadException {
    double ms;
    try {
      ms = m.recoverer().warmUp();
    } catch (RuntimeException e) {
      m.close();
      throw new ModelLoadException(what + " fails on a blank input: " + e.getMessage(), e);
    }
    log.info(
        "recover {}: model {} warmed up in {} ms",
        config.workerId(),
        m.version(),
        String.format(java.util.Locale.ROOT, "%.0f", ms));
  }

  private PersonRecoverer.Options recovererOptions() {
    return new PersonRecoverer.Options(
        config.mode(), config.threshold(), config.sampling(), config.workerId().hashCode());
  }

  /** Starts consuming. */
  public void start() {
    running = true;
    started = true;
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

  /**
   * Test hook that simulates a record that kills the process (a native crash, an OOM kill): when a
   * batch holding a matching record is about to run, the worker's thread dies without cleanup.
   */
  void crashWhileProcessing(Predicate<ConsumerRecord<byte[], byte[]>> matches) {
    crashWhileProcessing = matches;
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
        if (inFlight != null && inFlight.outcome().isDone()) {
          finishInFlight();
        }
        List<BatchProcessor.Polled> ready = batchable();
        long waitMs =
            inFlight != null
                ? IN_FLIGHT_POLL.toMillis()
                : ready.isEmpty()
                    ? (pending.isEmpty() ? 200 : 0)
                    : Math.max(
                        0,
                        config.maxWait().toMillis() - BatchProcessor.oldestWait(ready).toMillis());
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(waitMs))) {
          pending.add(BatchProcessor.Polled.of(r));
        }
        backPressure();
        if (inFlight != null) {
          continue; // one batch at a time: the next is cut when this one has committed
        }
        runSuspect();
        ready = batchable();
        if (!ready.isEmpty()
            && (cost(ready) >= config.maxBatchPersons()
                || BatchProcessor.oldestWait(ready).compareTo(config.maxWait()) >= 0)) {
          runBatch(ready);
        }
        if (inFlight == null) {
          maybeSwitchModel(); // never under a batch that still runs on the model
        }
      }
      if (inFlight != null) {
        finishInFlight(); // cancelled by close(): throws Cancelled, nothing of it is sent
      }
      handOver(new ArrayList<>(handOver.keySet()));
    } catch (WakeupException e) {
      // close() asked us to stop while polling (pipelined: perhaps with a batch in flight)
      if (inFlight != null) {
        inFlight = null;
        logCancelled();
      }
      handOver(new ArrayList<>(handOver.keySet()));
    } catch (BatchProcessor.Cancelled e) {
      logCancelled();
      handOver(new ArrayList<>(handOver.keySet()));
    } catch (SimulatedCrash e) {
      log.warn("recover {}: simulated crash", config.workerId());
      stopInference();
      stopped.countDown();
      return; // no cleanup at all, as a killed process
    } catch (AuthorizationException e) {
      failure.set(e);
      log.error(
          "recover {}: stopping: {} (this principal lacks a right the worker needs; the rights of"
              + " a recover worker of group {}: megastream acls --stage recover --group {})",
          config.workerId(),
          e.toString(),
          config.groupId(),
          config.groupId());
    } catch (ProducerFencedException | InvalidProducerEpochException e) {
      failure.set(e);
      log.error(
          "recover {}: stopping: {} (another instance with worker id {} took over; give every"
              + " worker its own --worker-id)",
          config.workerId(),
          e.toString(),
          config.workerId());
    } catch (org.apache.kafka.common.errors.FencedInstanceIdException e) {
      failure.set(e);
      log.error(
          "recover {}: stopping: another consumer joined the group with the same worker id (give"
              + " every worker its own --worker-id)",
          config.workerId());
    } catch (RuntimeException e) {
      failure.set(e);
      log.error("recover {}: stopping on an unexpected error", config.workerId(), e);
    } finally {
      if (stopped.getCount() > 0) {
        running = false;
        stopInference();
        closeClients();
        stopped.countDown();
      }
    }
  }

  private void logCancelled() {
    log.info(
        "recover {}: stopping: the batch in flight was cancelled; nothing of it was sent, its"
            + " next owner runs it",
        config.workerId());
  }

  /** Cancels the batch in flight, if any, and waits for the inference thread to end. */
  private void stopInference() {
    if (inference == null) {
      return;
    }
    cancel = true;
    inference.shutdown();
    try {
      if (!inference.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
        inferenceStuck = true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      inferenceStuck = true;
    }
  }

  /** Whether the inference thread did not end when asked (the model is then left open). */
  private volatile boolean inferenceStuck;

  /**
   * Pauses fetching while many polled records wait for a batch that runs long, and resumes once
   * half of them have gone, so memory stays bounded whatever the backlog.
   */
  private void backPressure() {
    int cap = Math.max(128, 4 * config.maxBatchPersons());
    if (!paused && pending.size() >= cap) {
      consumer.pause(consumer.assignment());
      paused = true;
    } else if (paused && pending.size() < cap / 2) {
      consumer.resume(consumer.paused());
      paused = false;
    }
  }

  /** Frames waiting before a batch: consumer lag of the assigned partitions plus polled ones. */
  private long waiting() {
    long lag = pending.size();
    for (TopicPartition tp : consumer.assignment()) {
      lag += consumer.currentLag(tp).orElse(0);
    }
    return lag;
  }

  /**
   * Waits for the batch in flight and commits it. (A batch whose partitions were lost is no longer
   * in flight: {@link Rebalance#onPartitionsLost} drops it.)
   */
  private void finishInFlight() {
    InFlight f = inFlight;
    inFlight = null;
    BatchProcessor.Outcome outcome;
    try {
      outcome = f.outcome().get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("inference failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BatchProcessor.Cancelled();
    }
    commit(f.batch(), outcome, f.queueWait());
  }

  /** The weight of records in a batch: persons that will run, at least one per frame. */
  private int cost(List<BatchProcessor.Polled> records) {
    int n = 0;
    for (BatchProcessor.Polled p : records) {
      n += p.cost(config.maxPersonsPerFrame());
    }
    return n;
  }

  private static TopicPartition partition(BatchProcessor.Polled p) {
    return new TopicPartition(p.record().topic(), p.record().partition());
  }

  /** Pending records of partitions that batch normally (not suspect), in poll order. */
  private List<BatchProcessor.Polled> batchable() {
    if (suspects.isEmpty()) {
      return List.copyOf(pending);
    }
    return pending.stream().filter(p -> !suspects.containsKey(partition(p))).toList();
  }

  /** One batch in one transaction: results, dead letters and the consumed offsets. */
  private void runBatch(List<BatchProcessor.Polled> ready) {
    // at most maxBatchPersons persons (but at least one frame); the rest waits for the next batch
    List<BatchProcessor.Polled> batch = new ArrayList<>();
    int n = 0;
    for (BatchProcessor.Polled p : ready) {
      int next = p.cost(config.maxPersonsPerFrame());
      if (!batch.isEmpty() && n + next > config.maxBatchPersons()) {
        break;
      }
      batch.add(p);
      n += next;
    }
    pending.removeAll(batch);
    if (batch.stream().anyMatch(p -> crashWhileProcessing.test(p.record()))) {
      throw new SimulatedCrash();
    }
    long queueWait = BatchProcessor.oldestWait(batch).toNanos();
    if (batches == 0) {
      log.info(
          "recover {}: first batch: {} frames, {} persons", config.workerId(), batch.size(), n);
    }
    long waiting = waiting();
    double threshold = governor.update(waiting);
    metrics.governed(waiting, threshold);
    LoadedModel m = model;
    if (inference == null) {
      commit(batch, processor.process(batch, m, threshold, () -> cancel), queueWait);
      return;
    }
    AtomicBoolean dropped = new AtomicBoolean();
    inFlight =
        new InFlight(
            batch,
            inference.submit(
                () -> processor.process(batch, m, threshold, () -> cancel || dropped.get())),
            queueWait,
            dropped);
  }

  /**
   * The next record of a suspect partition, alone in its transaction. The head record (where the
   * dead owner stopped) gets its attempt count written first; once it failed {@code maxAttempts −
   * 1} times it is dead-lettered instead of run.
   */
  private void runSuspect() {
    BatchProcessor.Polled p = null;
    for (BatchProcessor.Polled q : pending) {
      if (suspects.containsKey(partition(q))) {
        p = q;
        break;
      }
    }
    if (p == null) {
      return;
    }
    TopicPartition tp = partition(p);
    Suspect s = suspects.get(tp);
    pending.remove(p);
    BatchProcessor.Outcome outcome;
    if (p.record().offset() == s.offset() && s.attempts() >= config.maxAttempts() - 1) {
      outcome = processor.poisoned(p, s.attempts() + 1, model);
    } else {
      if (p.record().offset() == s.offset()) {
        writeOffsets(
            Map.of(tp, attempts(p.record().offset(), s.attempts() + 1)),
            "attempt " + (s.attempts() + 1));
        // stopped cleanly during this attempt, the count stays what it was
        handOver.put(tp, attempts(p.record().offset(), s.attempts()));
        log.info(
            "recover {}: {} offset {}: attempt {} of {}, run alone",
            config.workerId(),
            tp,
            p.record().offset(),
            s.attempts() + 1,
            config.maxAttempts());
      }
      if (crashWhileProcessing.test(p.record())) {
        throw new SimulatedCrash();
      }
      outcome = processor.process(List.of(p), model, governor.threshold(), () -> cancel);
    }
    if (!commit(List.of(p), outcome, BatchProcessor.oldestWait(List.of(p)).toNanos())) {
      return; // aborted and rewound: the same record comes again
    }
    if (s.remaining() <= 1) {
      suspects.remove(tp);
      log.info("recover {}: {} batches normally again", config.workerId(), tp);
    } else {
      suspects.put(tp, new Suspect(s.offset(), s.attempts(), s.remaining() - 1));
    }
  }

  /**
   * Produces a batch's outcome and its offsets in one transaction. Every offset carries "one
   * attempt begun" for the record it points at, the next batch's; see the class comment.
   *
   * @return whether it committed (false: aborted and rewound, the records run again)
   */
  private boolean commit(
      List<BatchProcessor.Polled> batch, BatchProcessor.Outcome outcome, long queueWait) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (BatchProcessor.Polled p : batch) {
      offsets.merge(
          partition(p),
          attempts(p.record().offset() + 1, 1),
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
            "recover {}: {} partition {} offset {} to dead-letter ({}): {}",
            config.workerId(),
            d.getSourceTopic(),
            d.getSourcePartition(),
            d.getSourceOffset(),
            d.getReason(),
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
      // retriable or abortable (a rebalance, a broker restart): nothing of this batch is
      // visible; run it again. Not counted against the records: they did not cause it.
      log.warn(
          "recover {}: transaction of {} frames aborted, they run again: {}",
          config.workerId(),
          batch.size(),
          e.toString());
      abortQuietly();
      rewind(batch);
      metrics.aborted();
      synchronized (this) {
        aborted++;
      }
      return false;
    }
    offsets.forEach((tp, o) -> handOver.put(tp, attempts(o.offset(), 0)));
    metrics.committed(outcome, batch.size(), queueWait);
    synchronized (this) {
      batches++;
      persons += outcome.persons();
      stochastic += outcome.stochastic();
      deadLetters += outcome.deadLetters().size();
    }
    return true;
  }

  private void abortQuietly() {
    try {
      producer.abortTransaction();
    } catch (ProducerFencedException | InvalidProducerEpochException | AuthorizationException e) {
      throw e;
    } catch (KafkaException e) {
      // the broker is away: the transaction times out there; the next begin retries
      log.warn("recover {}: abort failed: {}", config.workerId(), e.toString());
    }
  }

  /** Offsets alone in one transaction (attempt counts, hand-over); false if it did not commit. */
  private boolean writeOffsets(Map<TopicPartition, OffsetAndMetadata> offsets, String what) {
    if (offsets.isEmpty()) {
      return true;
    }
    producer.beginTransaction();
    try {
      producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      producer.commitTransaction();
      return true;
    } catch (ProducerFencedException | InvalidProducerEpochException | AuthorizationException e) {
      throw e;
    } catch (KafkaException e) {
      log.warn("recover {}: writing {} failed: {}", config.workerId(), what, e.toString());
      abortQuietly();
      return false;
    }
  }

  /** Clean hand-over of partitions: their offsets with no attempt owed (nothing died). */
  private void handOver(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata o = handOver.remove(tp);
      if (o != null) {
        offsets.put(tp, o);
      }
    }
    try {
      writeOffsets(offsets, "the hand-over of " + offsets.keySet());
    } catch (KafkaException e) {
      // fenced or denied: the next owner will merely run these partitions' next record alone
      log.warn("recover {}: hand-over not written: {}", config.workerId(), e.toString());
    }
  }

  private static final String ATTEMPTS = "megastream.attempts=";
  private static final Pattern ATTEMPTS_PATTERN = Pattern.compile("megastream\\.attempts=(\\d+)");

  /** An offset whose metadata counts the attempts begun on the record it points at. */
  static OffsetAndMetadata attempts(long offset, int attempts) {
    return new OffsetAndMetadata(offset, ATTEMPTS + attempts);
  }

  /** The attempts an offset's metadata counts; 0 when it counts none (or was written by others). */
  static int attemptsOf(OffsetAndMetadata o) {
    if (o == null || o.metadata() == null) {
      return 0;
    }
    Matcher m = ATTEMPTS_PATTERN.matcher(o.metadata());
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  /** A partition whose previous owner died with {@code offset} in flight {@code attempts} times. */
  private record Suspect(long offset, int attempts, int remaining) {}

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
                c.dir(),
                config.tokenizerDir(),
                config.poseVariant(),
                config.poseEngine(),
                recovererOptions());
        warmUp(next, "version " + c.version());
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

  /**
   * On revoke: drops polled-but-unprocessed records and hands the partitions over cleanly. On
   * assign: reads each partition's committed attempt count and runs suspect ones record by record.
   */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // the batch in flight still belongs to this generation: finish and commit it first
      if (inFlight != null && !partitions.isEmpty()) {
        try {
          finishInFlight();
        } catch (BatchProcessor.Cancelled e) {
          // closing: nothing of it was sent, its records run again on their next owner
        }
      }
      drop(partitions);
      handOver(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // no longer ours: a batch in flight cannot commit; it stops at its next chunk, unsent
      if (inFlight != null && !partitions.isEmpty()) {
        inFlight.dropped().set(true);
        inFlight = null;
      }
      drop(partitions);
      partitions.forEach(handOver::remove);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      assigned = !consumer.assignment().isEmpty() || !partitions.isEmpty();
      log.info("recover {}: assigned {}", config.workerId(), partitions);
      if (partitions.isEmpty()) {
        return;
      }
      Map<TopicPartition, OffsetAndMetadata> committed;
      try {
        committed = consumer.committed(new java.util.HashSet<>(partitions));
      } catch (WakeupException e) {
        throw e;
      } catch (KafkaException e) {
        log.warn(
            "recover {}: cannot read the attempt counts of {} ({}); batching them normally",
            config.workerId(),
            partitions,
            e.toString());
        return;
      }
      // partitions handed over cleanly (or never committed): mark their next batch as begun
      Map<TopicPartition, OffsetAndMetadata> marks = new HashMap<>();
      for (TopicPartition tp : partitions) {
        OffsetAndMetadata o = committed.get(tp);
        if (attemptsOf(o) == 0) {
          long offset = o != null ? o.offset() : consumer.position(tp);
          marks.put(tp, attempts(offset, 1));
          handOver.put(tp, attempts(offset, 0));
        }
      }
      writeOffsets(marks, "the attempt marks of " + marks.keySet());
      List<String> found = new ArrayList<>();
      committed.forEach(
          (tp, o) -> {
            int a = attemptsOf(o);
            if (a > 0) {
              suspects.put(tp, new Suspect(o.offset(), a, config.maxBatchPersons()));
              found.add(tp + "@" + o.offset() + " (" + a + ")");
            }
          });
      if (!found.isEmpty()) {
        log.warn(
            "recover {}: the previous owner of {} stopped mid-batch (partition@offset (attempts"
                + " begun, not finished)): their next {} records run one at a time, and a record"
                + " is dead-lettered on attempt {}",
            config.workerId(),
            found,
            config.maxBatchPersons(),
            config.maxAttempts());
      }
    }

    private void drop(Collection<TopicPartition> partitions) {
      pending.removeIf(p -> partitions.contains(partition(p)));
      partitions.forEach(suspects::remove);
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
    Duration each = Duration.ofMillis(Math.max(1000, config.shutdownGrace().toMillis() / 3));
    try {
      consumer.close(
          CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
              .withTimeout(each));
    } catch (RuntimeException e) {
      log.warn("recover {}: closing the consumer: {}", config.workerId(), e.toString());
    }
    try {
      producer.close(each);
    } catch (RuntimeException e) {
      log.warn("recover {}: closing the producer: {}", config.workerId(), e.toString());
    }
  }

  /**
   * Stops within {@code shutdownGrace}: a batch in flight is cancelled before its next inference
   * chunk (nothing of it was sent; its next owner runs it, exactly once), the partitions are handed
   * over, and the clients, the model, the follower and the health server are closed. Idempotent and
   * safe to call from several threads (a shutdown hook and main): later callers wait for the first.
   * If the worker thread does not end in time, the native model is left open rather than freed
   * under it.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      try {
        closed.await(config.shutdownGrace().toMillis() + 5000, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    try {
      running = false;
      cancel = true;
      boolean threadDone = true;
      if (started) {
        consumer.wakeup();
        try {
          threadDone = stopped.await(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          threadDone = false;
        }
      } else {
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
      if (threadDone && !inferenceStuck) {
        model.close();
      } else {
        log.error(
            "recover {}: the worker thread did not stop within {} ms; its batch is not"
                + " committed and runs again on the next owner; the model stays open",
            config.workerId(),
            config.shutdownGrace().toMillis());
      }
    } finally {
      closed.countDown();
    }
  }
}
