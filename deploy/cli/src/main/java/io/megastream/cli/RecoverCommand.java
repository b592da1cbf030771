package io.megastream.cli;

import io.megastream.mega.inference.PersonRecoverer;
import io.megastream.mega.model.MegaGenerator;
import io.megastream.recover.RecoverConfig;
import io.megastream.recover.RecoverWorker;
import io.megastream.recover.WorkerRunner;
import io.megastream.recover.model.ModelLoadException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code megastream recover}: one worker instance of the recover consumer group. */
@Command(
    name = "recover",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs a recover worker: consumes the frames topic in a consumer group, runs BlazePose (or"
          + " the CNN) and MEGA on every person in batches across cameras, and writes one"
          + " MeshRecovery per person per frame to meshes (and Q samples to samples when the"
          + " stochastic mode ran), exactly once, in Kafka transactions. Start more instances"
          + " with the same --group to share the partitions; give each its own --worker-id (the"
          + " default is the host name). SIGTERM or Ctrl-C cancels the batch in flight (its next"
          + " owner runs it) and exits within --shutdown-grace-ms.",
      "Health and Prometheus metrics: http://127.0.0.1:<--metrics-port>/health/live,"
          + " /health/ready, /metrics."
    })
final class RecoverCommand implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Option(names = "--group", defaultValue = "megastream-recover", description = "Consumer group.")
  String group;

  @Option(
      names = "--worker-id",
      description =
          "This instance's stable id (default: $HOSTNAME or the host name): its transactional id"
              + " and static group membership, so a restart with the same id takes over at once."
              + " Two workers on one host need their own.")
  String workerId;

  @Option(
      names = "--model",
      defaultValue = "models/mega",
      description = "MEGA model directory (default: the bundled ${DEFAULT-VALUE}).")
  Path model;

  @Option(names = "--tokenizer", defaultValue = "models/tokenizer")
  Path tokenizer;

  @Option(
      names = "--follow-models",
      description = "Follow the models topic for this model name and switch between batches.")
  String followModels;

  @Option(
      names = "--mode",
      defaultValue = "adaptive",
      description = "deterministic, stochastic or adaptive (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(
      names = "--threshold",
      defaultValue = "" + RecoverConfig.DEFAULT_THRESHOLD,
      description =
          "Adaptive: sample when 1 - confidence exceeds this (default: ${DEFAULT-VALUE}, the"
              + " 80th percentile measured on held-out cases).")
  double threshold;

  @Option(names = "--samples", defaultValue = "8", description = "Q (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--steps", defaultValue = "8", description = "T (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--temperature", defaultValue = "1.0", description = "A.")
  double temperature;

  @Option(
      names = "--max-batch",
      defaultValue = "16",
      description = "Persons per batch at most (default: ${DEFAULT-VALUE}).")
  int maxBatch;

  @Option(
      names = "--max-wait-ms",
      defaultValue = "50",
      description = "A batch closes when its oldest frame waited this long (default: 50).")
  long maxWaitMs;

  @Option(
      names = "--max-age-ms",
      defaultValue = "0",
      description =
          "Live mode: frames older than this are recorded as skipped, not run; 0 = archive mode"
              + " (every frame runs).")
  long maxAgeMs;

  @Option(
      names = "--metrics-port",
      defaultValue = "9464",
      description = "Health and metrics port; 0 = any free port, -1 = none (default: 9464).")
  int metricsPort;

  @Option(
      names = "--metrics-host",
      defaultValue = "127.0.0.1",
      description = "Address of the health and metrics endpoint (0.0.0.0 in a container).")
  String metricsHost;

  @Option(
      names = "--pose-variant",
      defaultValue = "FULL",
      description = "BlazePose model for pose-conditioned MEGA: FULL or LITE (faster).")
  io.megastream.mega.pose.BlazePose.Variant poseVariant;

  @Option(
      names = "--max-persons-per-frame",
      defaultValue = "" + RecoverConfig.DEFAULT_MAX_PERSONS_PER_FRAME,
      description =
          "Persons of one frame that run at most; the rest are REJECTED and the frame goes to"
              + " dead-letter (default: ${DEFAULT-VALUE}).")
  int maxPersonsPerFrame;

  @Option(
      names = "--max-sampled-per-batch",
      defaultValue = "4",
      description =
          "Persons of one batch the stochastic mode samples at most, the least confident first;"
              + " the others keep the deterministic pass (default: ${DEFAULT-VALUE}).")
  int maxSampledPerBatch;

  @Option(
      names = "--lag-bound",
      defaultValue = "-1",
      description =
          "Adaptive mode: frames waiting (consumer lag plus polled) past which the worker raises"
              + " its sampling threshold step by step, up to no sampling, and lowers it again"
              + " under half; 0 = never. Default: "
              + io.megastream.recover.RecoverConfig.DEFAULT_LAG_BOUND
              + " in live mode (--max-age-ms), off in archive mode.")
  int lagBound;

  @Option(
      names = "--pipelined",
      defaultValue = "true",
      negatable = true,
      fallbackValue = "true",
      description =
          "Run inference on its own thread while the worker keeps polling and committing"
              + " (default: ${DEFAULT-VALUE}; --no-pipelined runs it on the polling thread).")
  boolean pipelined;

  @Option(
      names = "--max-attempts",
      defaultValue = "3",
      description =
          "A record whose worker died with it in flight on every earlier attempt is"
              + " dead-lettered (PROCESSING_FAILED) on this attempt (default: ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Option(
      names = "--shutdown-grace-ms",
      defaultValue = "10000",
      description =
          "SIGTERM cancels the batch in flight and exits within this (default: ${DEFAULT-VALUE};"
              + " keep it under the orchestrator's grace period, 30 s in Kubernetes).")
  long shutdownGraceMs;

  @Option(
      names = "--session-timeout-ms",
      defaultValue = "15000",
      description =
          "A worker that stops heart-beating loses its partitions after this (consumer"
              + " session.timeout.ms; default: ${DEFAULT-VALUE}). A restart with the same"
              + " --worker-id within it takes them back at once.")
  int sessionTimeoutMs;

  @Option(
      names = "--transaction-timeout-ms",
      defaultValue = "30000",
      description =
          "The broker aborts a dead worker's open transaction after this (default:"
              + " ${DEFAULT-VALUE}); a restart with the same --worker-id aborts it at once.")
  long transactionTimeoutMs;

  @Option(
      names = "--max-frames",
      defaultValue = "0",
      description = "Stop after this many frames were committed; 0 = run until Ctrl-C.")
  long maxFrames;

  @Override
  public Integer call() throws Exception {
    PersonRecoverer.Mode m;
    try {
      m = PersonRecoverer.Mode.valueOf(mode.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), "--mode must be deterministic, stochastic or adaptive");
    }
    RecoverConfig.Builder b =
        RecoverConfig.builder(String.valueOf(kafka.properties().get("bootstrap.servers")))
            .optKafka(kafka.properties())
            .optGroupId(group)
            .optMode(m)
            .optThreshold(threshold)
            .optSampling(MegaGenerator.Sampling.conditional(samples, steps, temperature))
            .optMaxBatchPersons(maxBatch)
            .optMaxWait(Duration.ofMillis(maxWaitMs))
            .optMaxAge(maxAgeMs > 0 ? Duration.ofMillis(maxAgeMs) : null)
            .optModelDir(model)
            .optTokenizerDir(tokenizer)
            .optMetricsPort(metricsPort)
            .optMetricsHost(metricsHost)
            .optPoseVariant(poseVariant)
            .optMaxPersonsPerFrame(maxPersonsPerFrame)
            .optMaxSampledPerBatch(maxSampledPerBatch)
            .optPipelined(pipelined)
            .optMaxAttempts(maxAttempts)
            .optLagBound(lagBound)
            .optShutdownGrace(Duration.ofMillis(shutdownGraceMs))
            .optTransactionTimeout(Duration.ofMillis(transactionTimeoutMs))
            .optKafka(
                java.util.Map.of(
                    "session.timeout.ms",
                    String.valueOf(sessionTimeoutMs),
                    "heartbeat.interval.ms",
                    String.valueOf(Math.max(500, sessionTimeoutMs / 5))));
    if (workerId != null) {
      b.optWorkerId(workerId);
    }
    if (followModels != null) {
      b.optFollowModels(true, followModels);
    }
    RecoverConfig config;
    try {
      config = b.build();
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), e.getMessage());
    }
    RecoverWorker worker;
    try {
      worker = new RecoverWorker(config);
    } catch (ModelLoadException e) {
      System.err.println("megastream recover: " + e.getMessage());
      return ExitCodes.SOURCE_UNAVAILABLE;
    }
    worker.start();
    System.out.printf(
        "recover %s: model %s, group %s, %s mode; health and metrics on port %d%n",
        config.workerId(),
        worker.modelVersion(),
        group,
        m.name().toLowerCase(java.util.Locale.ROOT),
        worker.healthPort());
    return WorkerRunner.run(worker, config.workerId(), maxFrames, System.out)
        ? ExitCodes.OK
        : ExitCodes.KAFKA_UNAVAILABLE;
  }
}
