package io.megastream.cli;

import io.megastream.mega.inference.PersonRecoverer;
import io.megastream.mega.model.MegaGenerator;
import io.megastream.recover.RecoverConfig;
import io.megastream.recover.RecoverWorker;
import io.megastream.recover.model.ModelLoadException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
          + " with the same --group to share the partitions. Ctrl-C finishes the batch in flight.",
      "Health and Prometheus metrics: http://127.0.0.1:<--metrics-port>/health/live,"
          + " /health/ready, /metrics."
    })
final class RecoverCommand implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Option(names = "--group", defaultValue = "megastream-recover", description = "Consumer group.")
  String group;

  @Option(names = "--worker-id", description = "This instance's id (default: host-pid).")
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
            .optPoseVariant(poseVariant);
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
    CountDownLatch done = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              worker.close();
              try {
                done.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "recover-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      worker.start();
      System.out.printf(
          "recover %s: model %s, group %s, %s mode; health and metrics on port %d%n",
          config.workerId(),
          worker.modelVersion(),
          group,
          m.name().toLowerCase(java.util.Locale.ROOT),
          worker.healthPort());
      while (!worker.awaitStopped(Duration.ofSeconds(5))) {
        RecoverWorker.Stats s = worker.stats();
        System.out.printf(
            "recover %s: %d frames, %d persons (%d sampled), %d dead letters%n",
            config.workerId(), s.frames(), s.persons(), s.stochastic(), s.deadLetters());
        if (maxFrames > 0 && s.frames() >= maxFrames) {
          break;
        }
      }
      worker.close();
      Runtime.getRuntime().removeShutdownHook(hook);
      return worker.failure() == null ? ExitCodes.OK : ExitCodes.KAFKA_UNAVAILABLE;
    } finally {
      done.countDown();
    }
  }
}
