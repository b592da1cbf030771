package io.megastream.recover;

import io.megastream.mega.inference.PersonRecoverer;
import io.megastream.mega.model.MegaGenerator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of one recover worker. Validated on construction; build with {@link #builder}. Kafka
 * client properties pass through untouched to the consumer and the producer.
 *
 * @param kafka client properties (bootstrap servers, security) for every client
 * @param groupId consumer group of the workers that share the frames topic
 * @param workerId this instance's id: names its transactional id and goes into every result
 * @param mode when the stochastic mode runs
 * @param threshold adaptive mode: sample a person when 1 − confidence exceeds this
 * @param sampling Q, T and A of the stochastic mode
 * @param maxBatchPersons a batch closes when it holds this many persons (dynamic batching)
 * @param maxWait ... or when its first frame has waited this long
 * @param maxAge live mode: frames older than this (capture to poll) are recorded as skipped, and no
 *     person is sampled whose sampling would end after its batch's oldest frame passed this age (it
 *     keeps the deterministic pass, marked {@code sampling_skipped}); null = archive mode, every
 *     frame runs
 * @param modelDir the MEGA model directory (the bundled default, or a path)
 * @param tokenizerDir the tokenizer the model's tokens belong to
 * @param followModels whether to follow the {@code models} topic and switch to new versions
 * @param modelName the record key on the {@code models} topic this worker follows
 * @param metricsPort HTTP port of /health and /metrics; 0 picks a free one, -1 serves none
 * @param transactionTimeout how long the broker waits before aborting a dead worker's transaction
 * @param poseVariant BlazePose model for {@code pose} models (FULL: more accurate, LITE: faster)
 * @param poseEngine the runtime BlazePose runs on (TFLITE; OPENCV for comparison)
 * @param metricsHost address the health and metrics endpoint binds to
 * @param maxPersonsPerFrame persons of one frame that run at most; the rest are REJECTED and the
 *     frame goes to dead-letter (a crowd or a broken detector must not stall a camera)
 * @param maxSampledPerBatch persons of one batch the stochastic mode samples at most (the least
 *     confident first); the others keep the deterministic pass, marked {@code sampling_skipped}
 * @param maxAttempts a record whose worker died (or was evicted) with it in flight this many times
 *     less one is dead-lettered as PROCESSING_FAILED on its next attempt; counted in the group's
 *     committed offsets, so it survives the worker
 * @param shutdownGrace {@link RecoverWorker#close} finishes the batch in flight, or aborts it, and
 *     returns within this
 * @param poseEngine the runtime BlazePose runs on
 * @param lagBound adaptive mode: frames waiting (consumer lag plus polled, not yet run) past which
 *     the worker raises its sampling threshold step by step, up to no sampling, and lowers it again
 *     once they fall under half ({@link LoadGovernor}); 0 = never
 * @param pipelined inference on a thread of its own while the worker's thread keeps polling and
 *     committing ({@link RecoverWorker}); false runs each batch on the polling thread
 */
public record RecoverConfig(
    Map<String, Object> kafka,
    String groupId,
    String workerId,
    PersonRecoverer.Mode mode,
    double threshold,
    MegaGenerator.Sampling sampling,
    int maxBatchPersons,
    Duration maxWait,
    Duration maxAge,
    Path modelDir,
    Path tokenizerDir,
    boolean followModels,
    String modelName,
    int metricsPort,
    Duration transactionTimeout,
    io.megastream.mega.pose.BlazePose.Variant poseVariant,
    String metricsHost,
    int maxPersonsPerFrame,
    int maxSampledPerBatch,
    int maxAttempts,
    Duration shutdownGrace,
    io.megastream.mega.pose.BlazePose.Engine poseEngine,
    int lagBound,
    boolean pipelined) {

  public RecoverConfig {
    kafka = Map.copyOf(Objects.requireNonNull(kafka, "kafka"));
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(sampling, "sampling");
    Objects.requireNonNull(maxWait, "maxWait");
    Objects.requireNonNull(modelDir, "modelDir");
    Objects.requireNonNull(tokenizerDir, "tokenizerDir");
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(transactionTimeout, "transactionTimeout");
    Objects.requireNonNull(poseVariant, "poseVariant");
    Objects.requireNonNull(poseEngine, "poseEngine");
    Objects.requireNonNull(metricsHost, "metricsHost");
    if (!kafka.containsKey("bootstrap.servers")) {
      throw new IllegalArgumentException("kafka properties need bootstrap.servers");
    }
    if (groupId.isBlank() || workerId.isBlank()) {
      throw new IllegalArgumentException("group id and worker id must not be blank");
    }
    if (threshold < 0 || threshold > 1) {
      throw new IllegalArgumentException("threshold must be in [0, 1], was " + threshold);
    }
    if (maxBatchPersons < 1 || maxWait.isNegative() || (maxAge != null && maxAge.isNegative())) {
      throw new IllegalArgumentException("max batch >= 1, max wait and max age >= 0");
    }
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    if (maxPersonsPerFrame < 1 || maxSampledPerBatch < 0 || maxAttempts < 2) {
      throw new IllegalArgumentException(
          "max persons per frame >= 1, max sampled per batch >= 0, max attempts >= 2");
    }
    if (lagBound < 0) {
      throw new IllegalArgumentException("lag bound must be >= 0 (0: off), was " + lagBound);
    }
    if (shutdownGrace.isNegative()) {
      throw new IllegalArgumentException("shutdown grace must be >= 0");
    }
    if (metricsPort < -1 || metricsPort > 65535) {
      throw new IllegalArgumentException("metrics port must be -1 (off), 0 (any) or a port");
    }
  }

  /** The transactional id of this worker's producer: stable across restarts of the same id. */
  public String transactionalId() {
    return io.megastream.proto.security.StageAcls.recoverTransactionalIdPrefix(groupId) + workerId;
  }

  /** A builder with every default set; {@code bootstrapServers} is the one required value. */
  public static Builder builder(String bootstrapServers) {
    return new Builder(bootstrapServers);
  }

  /** Builds a {@link RecoverConfig}: {@code setX} required, {@code optX} optional. */
  public static final class Builder {
    private final Map<String, Object> kafka = new java.util.HashMap<>();
    private String groupId = "megastream-recover";
    private String workerId = defaultWorkerId();
    private PersonRecoverer.Mode mode = PersonRecoverer.Mode.ADAPTIVE;
    private double threshold = DEFAULT_THRESHOLD;
    private MegaGenerator.Sampling sampling = MegaGenerator.Sampling.conditional(8, 8, 1.0);
    private int maxBatchPersons = 16;
    private Duration maxWait = Duration.ofMillis(50);
    private Duration maxAge;
    private Path modelDir = Path.of("models", "mega");
    private Path tokenizerDir = Path.of("models", "tokenizer");
    private boolean followModels;
    private String modelName = "mega";
    private int metricsPort = -1;
    private Duration transactionTimeout = Duration.ofSeconds(30);
    private io.megastream.mega.pose.BlazePose.Variant poseVariant =
        io.megastream.mega.pose.BlazePose.Variant.FULL;
    private io.megastream.mega.pose.BlazePose.Engine poseEngine =
        io.megastream.mega.pose.BlazePose.Engine.TFLITE;
    private String metricsHost = "127.0.0.1";
    private int maxPersonsPerFrame = DEFAULT_MAX_PERSONS_PER_FRAME;
    private int maxSampledPerBatch = 4;
    private int maxAttempts = 3;
    private Duration shutdownGrace = Duration.ofSeconds(10);
    private int lagBound = -1;
    private boolean pipelined = true;

    private Builder(String bootstrapServers) {
      kafka.put("bootstrap.servers", Objects.requireNonNull(bootstrapServers));
    }

    /** Extra client properties (security and the like), passed to every client untouched. */
    public Builder optKafka(Map<String, ?> properties) {
      kafka.putAll(properties);
      return this;
    }

    public Builder optGroupId(String groupId) {
      this.groupId = groupId;
      return this;
    }

    public Builder optWorkerId(String workerId) {
      this.workerId = workerId;
      return this;
    }

    public Builder optMode(PersonRecoverer.Mode mode) {
      this.mode = mode;
      return this;
    }

    public Builder optThreshold(double threshold) {
      this.threshold = threshold;
      return this;
    }

    public Builder optSampling(MegaGenerator.Sampling sampling) {
      this.sampling = sampling;
      return this;
    }

    public Builder optMaxBatchPersons(int persons) {
      this.maxBatchPersons = persons;
      return this;
    }

    public Builder optMaxWait(Duration maxWait) {
      this.maxWait = maxWait;
      return this;
    }

    /** Live mode: frames older than this are skipped (recorded); null = archive mode. */
    public Builder optMaxAge(Duration maxAge) {
      this.maxAge = maxAge;
      return this;
    }

    public Builder optModelDir(Path modelDir) {
      this.modelDir = modelDir;
      return this;
    }

    public Builder optTokenizerDir(Path tokenizerDir) {
      this.tokenizerDir = tokenizerDir;
      return this;
    }

    /** Follow the {@code models} topic (key {@code modelName}) and switch between batches. */
    public Builder optFollowModels(boolean follow, String modelName) {
      this.followModels = follow;
      this.modelName = modelName;
      return this;
    }

    public Builder optMetricsPort(int port) {
      this.metricsPort = port;
      return this;
    }

    public Builder optTransactionTimeout(Duration timeout) {
      this.transactionTimeout = timeout;
      return this;
    }

    public Builder optPoseVariant(io.megastream.mega.pose.BlazePose.Variant variant) {
      this.poseVariant = variant;
      return this;
    }

    /** BlazePose's runtime (default TFLITE; OPENCV DNN is 2-2.8x slower, kept for comparison). */
    public Builder optPoseEngine(io.megastream.mega.pose.BlazePose.Engine engine) {
      this.poseEngine = engine;
      return this;
    }

    /** Where /health and /metrics listen (default 127.0.0.1; 0.0.0.0 for a container). */
    public Builder optMetricsHost(String host) {
      this.metricsHost = host;
      return this;
    }

    /** Persons of one frame that run at most; the rest are recorded REJECTED. */
    public Builder optMaxPersonsPerFrame(int persons) {
      this.maxPersonsPerFrame = persons;
      return this;
    }

    /** Persons of one batch the stochastic mode samples at most; 0 = never sample. */
    public Builder optMaxSampledPerBatch(int persons) {
      this.maxSampledPerBatch = persons;
      return this;
    }

    /** The attempt at which a record that kept killing its worker is dead-lettered (>= 2). */
    public Builder optMaxAttempts(int attempts) {
      this.maxAttempts = attempts;
      return this;
    }

    /** How long {@link RecoverWorker#close} may take: finish or abort the batch in flight. */
    public Builder optShutdownGrace(Duration grace) {
      this.shutdownGrace = grace;
      return this;
    }

    /**
     * Frames waiting past which the adaptive mode samples fewer persons; 0 = never. Default: {@link
     * #DEFAULT_LAG_BOUND} in live mode ({@link #optMaxAge}), off in archive mode, where a backlog
     * is the point.
     */
    public Builder optLagBound(int frames) {
      this.lagBound = frames;
      return this;
    }

    /** Inference on its own thread (default) or on the polling thread. */
    public Builder optPipelined(boolean pipelined) {
      this.pipelined = pipelined;
      return this;
    }

    public RecoverConfig build() {
      return new RecoverConfig(
          kafka,
          groupId,
          workerId,
          mode,
          threshold,
          sampling,
          maxBatchPersons,
          maxWait,
          maxAge,
          modelDir,
          tokenizerDir,
          followModels,
          modelName,
          metricsPort,
          transactionTimeout,
          poseVariant,
          metricsHost,
          maxPersonsPerFrame,
          maxSampledPerBatch,
          maxAttempts,
          shutdownGrace,
          poseEngine,
          lagBound >= 0 ? lagBound : maxAge != null ? DEFAULT_LAG_BOUND : 0,
          pipelined);
    }
  }

  /**
   * A stable id for this instance: the host (or pod) name, so a restarted worker takes its
   * predecessor's transactional id and static group membership and fences it at once. Two workers
   * on one host need {@code --worker-id} each.
   */
  public static String defaultWorkerId() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        host = "local";
      }
    }
    return host;
  }

  /**
   * Default adaptive threshold on 1 − confidence: the 80th percentile (0.918) of the bundled
   * model's signal on held-out rendered people through real BlazePose ({@code eval mega --seed
   * 5151}), the inputs the product sees, so about one person in five of those is sampled (one in
   * eight of synthesised-landmark cases, whose p80 is 0.904).
   */
  public static final double DEFAULT_THRESHOLD = 0.92;

  /**
   * Default person cap per frame: a crowded sports frame holds 20–30 players; at the measured ~90
   * ms per person deterministic (BlazePose full + MEGA lite, README), 32 persons cost about 3 s,
   * far inside every timeout.
   */
  public static final int DEFAULT_MAX_PERSONS_PER_FRAME = 32;

  /**
   * Default lag bound of live mode, in frames: one full batch (16 persons) waiting, about 1.5 s of
   * deterministic work at the measured ~90 ms a person; one sampled person alone costs ~0.9 s
   * ({@code loadtest/run-sampling-bench.sh}).
   */
  public static final int DEFAULT_LAG_BOUND = 16;
}
