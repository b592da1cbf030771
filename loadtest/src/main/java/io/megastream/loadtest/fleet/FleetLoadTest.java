package io.megastream.loadtest.fleet;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.ingest.CameraPartitioner;
import io.megastream.ingest.CameraSpec;
import io.megastream.ingest.Ingest;
import io.megastream.ingest.IngestConfig;
import io.megastream.ingest.IngestResult;
import io.megastream.ingest.source.FrameSource;
import io.megastream.mega.inference.PersonRecoverer;
import io.megastream.proto.Topics;
import io.megastream.proto.admin.TopicCreator;
import io.megastream.recover.RecoverConfig;
import io.megastream.recover.RecoverWorker;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * {@code megastream loadtest}: a fleet of {@code synthetic:} cameras paced as live (N cameras × F
 * fps for S seconds) through ingest and recover workers as they run in production, on the embedded
 * broker or any {@code --bootstrap-server}, observed by an independent read_committed consumer of
 * {@code meshes} (capture → result latency), with the workers' consumer lag, this process's CPU and
 * RSS sampled every second. Writes {@code report.md}, PNG plots and {@code summary.json}.
 *
 * <p>Everything runs in this one process, so on a small machine the load generator (rendering the
 * synthetic scenes) competes with the workers for the same cores: the report says so.
 */
public final class FleetLoadTest {

  /**
   * What to run.
   *
   * @param kafka client properties of an existing cluster; null starts the embedded broker
   * @param maxAge live mode: frames older than this are skipped (zero: every frame is processed)
   * @param pipelined the workers run inference on a thread of their own (false: today's serial)
   * @param lagBound the workers' lag bound ({@code --lag-bound}); -1 = their default
   * @param threshold the workers' adaptive threshold; negative = their default
   * @param processes run each worker as a JVM of its own ({@code megastream recover}) instead of in
   *     this process
   * @param killAtSeconds SIGKILL the first worker process this long after the cameras start;
   *     negative = no kill (needs {@code processes} and at least two workers)
   * @param soak record each worker process's RSS and native memory ({@link MemorySampler}) and
   *     report their trends (needs {@code processes})
   * @param attachGroup attach to recover workers already running in this consumer group on {@code
   *     kafka} instead of starting any (null: start {@code workers} of its own)
   */
  public record Options(
      int cameras,
      double fps,
      int seconds,
      int persons,
      int workers,
      Map<String, Object> kafka,
      Path out,
      Path model,
      Path tokenizer,
      PersonRecoverer.Mode mode,
      Duration maxAge,
      boolean pipelined,
      int lagBound,
      double threshold,
      boolean processes,
      double killAtSeconds,
      boolean soak,
      String attachGroup) {
    public Options {
      if (attachGroup != null && (kafka == null || processes)) {
        throw new IllegalArgumentException(
            "attaching needs the cluster the workers run on (--bootstrap-server) and starts no"
                + " workers of its own");
      }
      if (cameras < 1 || fps <= 0 || seconds < 1 || persons < 1 || workers < 1) {
        throw new IllegalArgumentException(
            "cameras, fps, seconds, persons and workers must be positive");
      }
      if (killAtSeconds >= 0 && (!processes || workers < 2)) {
        throw new IllegalArgumentException(
            "a worker kill needs worker processes and at least two workers (someone must take over)");
      }
      if (soak && !processes) {
        throw new IllegalArgumentException("a soak run samples worker processes: it needs them");
      }
    }

    /** In-process workers, no kill. */
    public Options(
        int cameras,
        double fps,
        int seconds,
        int persons,
        int workers,
        Map<String, Object> kafka,
        Path out,
        Path model,
        Path tokenizer,
        PersonRecoverer.Mode mode,
        Duration maxAge,
        boolean pipelined,
        int lagBound,
        double threshold) {
      this(
          cameras, fps, seconds, persons, workers, kafka, out, model, tokenizer, mode, maxAge,
          pipelined, lagBound, threshold, false, -1, false, null);
    }
  }

  private static final String GROUP = "megastream-loadtest";

  /** The id of the fleet's n-th camera (1-based). */
  static String cameraId(int n) {
    return "load-" + n;
  }

  /** The consumer group whose lag is sampled: the attached one, or the load test's own. */
  private static String group(Options o) {
    return o.attachGroup() != null ? o.attachGroup() : GROUP;
  }

  /**
   * Frames of a camera's scene before it loops. Starting a scene over builds it anew (motion,
   * outfits, background), which stalls that camera for seconds: long enough scenes keep a run of
   * ordinary length free of it (scenes render lazily, so length costs no memory).
   */
  static final int SCENE_FRAMES = 3000;

  private FleetLoadTest() {}

  /**
   * Runs the load test and writes its report.
   *
   * @param synthetic the {@code synthetic:} camera plug-in
   */
  public static FleetSummary run(Options o, FrameSource.Factory synthetic, PrintStream out)
      throws Exception {
    Files.createDirectories(o.out());
    if (o.kafka() != null) {
      return run(o, new HashMap<>(o.kafka()), synthetic, out);
    }
    // no data directory: the broker keeps its log in a temporary one and deletes it on close
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
      Map<String, Object> props = new HashMap<>();
      broker.clientProperties().forEach((k, v) -> props.put(k.toString(), v));
      return run(o, props, synthetic, out);
    }
  }

  private static FleetSummary run(
      Options o, Map<String, Object> kafka, FrameSource.Factory synthetic, PrintStream out)
      throws Exception {
    try (Admin admin = Admin.create(kafka)) {
      TopicCreator.builder(admin).build().create(Topics.all());
    }
    String bootstrap = String.valueOf(kafka.get("bootstrap.servers"));
    long t0 = System.nanoTime();
    long startMillis = System.currentTimeMillis();
    List<RecoverWorker> workers = new ArrayList<>();
    WorkerProcesses processes = null;
    MemorySampler memory = null;
    try (LatencyProbe probe = new LatencyProbe(kafka, t0)) {
      if (o.attachGroup() != null) {
        out.printf("loadtest: attached to the workers of group %s%n", o.attachGroup());
      } else if (o.processes()) {
        processes = WorkerProcesses.start(o, kafka, GROUP, o.out());
        try (Admin admin = Admin.create(kafka)) {
          // every JVM loads libtorch, BlazePose and MEGA and warms them up: minutes on 2 cores
          processes.awaitGroup(admin, GROUP, Duration.ofMinutes(5));
        }
      } else {
        startInProcess(o, kafka, bootstrap, workers);
      }
      out.printf(
          "loadtest: %d %s worker(s)%s ready; %d camera(s) x %.1f fps x %d s, %d person(s)"
              + " each%n",
          o.workers(),
          o.pipelined() ? "pipelined" : "serial",
          o.processes() ? " (processes)" : "",
          o.cameras(),
          o.fps(),
          o.seconds(),
          o.persons());
      long framesPerCamera = Math.round(o.fps() * o.seconds());
      // the fleet's cameras spread evenly over the partitions, so that every worker gets some
      Map<String, Object> ingestKafka = new HashMap<>(kafka);
      ingestKafka.putAll(
          CameraPartitioner.properties(
              java.util.stream.IntStream.rangeClosed(1, o.cameras())
                  .mapToObj(FleetLoadTest::cameraId)
                  .toList()));
      IngestConfig.Builder ib =
          IngestConfig.builder()
              .setBootstrapServers(bootstrap)
              .optKafkaProperties(ingestKafka)
              .optPace(IngestConfig.Pace.NATIVE)
              .optLoop(true)
              .optMaxFramesPerCamera(framesPerCamera)
              .addSourcePlugin("synthetic", synthetic);
      for (int c = 0; c < o.cameras(); c++) {
        ib.addCamera(
            CameraSpec.parse(
                String.format(
                    java.util.Locale.ROOT,
                    "%s=synthetic:persons=%d,seed=%d,frames=%d,size=640x480,fps=%d",
                    cameraId(c + 1),
                    o.persons(),
                    9100 + c,
                    Math.min(framesPerCamera, SCENE_FRAMES),
                    Math.round(o.fps()))));
      }
      long ingestStart;
      IngestResult result;
      long sent;
      double pacedSeconds;
      double[] killedAt = {-1};
      if (o.soak()) {
        memory = new MemorySampler(processes.handles(), processes.ids(), t0);
      }
      try (Sampler sampler =
          new Sampler(kafka, group(o), t0, processes == null ? List.of() : processes.handles())) {
        ingestStart = System.nanoTime();
        Thread killer = o.killAtSeconds() >= 0 ? killer(o, processes, t0, killedAt, out) : null;
        try (Ingest ingest = new Ingest(ib.build())) {
          ingest.start();
          long last = System.nanoTime();
          while ((result = ingest.awaitCompletion(Duration.ofSeconds(5))) == null) {
            if (System.nanoTime() - last > 10e9) {
              out.printf(
                  "loadtest: %.0f s, %d frames sent, %d results seen%n",
                  (System.nanoTime() - ingestStart) / 1e9,
                  ingest.stats().total(c -> c.sent()),
                  probe.seen().size());
              last = System.nanoTime();
            }
          }
          sent = ingest.stats().total(c -> c.sent());
        }
        pacedSeconds = (System.nanoTime() - ingestStart) / 1e9;
        out.printf(
            "loadtest: ingest %s: %d frames in %.1f s; draining%n",
            result.outcome(), sent, pacedSeconds);
        long drainDeadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (probe.frames() < sent && System.nanoTime() < drainDeadline) {
          Thread.sleep(500);
        }
        Thread.sleep(1500); // a last sample of lag and memory after the drain
        if (killer != null) {
          killer.interrupt();
          killer.join(15_000);
        }
        List<MemorySampler.Reading> readings = List.of();
        if (memory != null) {
          memory.close();
          readings = memory.readings();
        }
        long deadLetters =
            o.attachGroup() == null && processes == null
                ? workers.stream().mapToLong(w -> w.stats().deadLetters()).sum()
                : DeadLetters.countSince(kafka, startMillis);
        FleetSummary summary =
            FleetSummary.of(
                o,
                sent,
                (ingestStart - t0) / 1e9,
                pacedSeconds,
                probe.seen(),
                probe.unreadable(),
                sampler.samples(),
                deadLetters,
                killedAt[0],
                MemorySampler.trends(readings));
        FleetReport.write(o, summary, probe.seen(), sampler.samples(), readings, o.out());
        return summary;
      }
    } finally {
      for (RecoverWorker w : workers) {
        w.close();
      }
      if (memory != null) {
        memory.close();
      }
      if (processes != null) {
        processes.close();
      }
    }
  }

  private static void startInProcess(
      Options o, Map<String, Object> kafka, String bootstrap, List<RecoverWorker> workers)
      throws Exception {
    for (int w = 0; w < o.workers(); w++) {
      RecoverConfig.Builder b =
          RecoverConfig.builder(bootstrap)
              .optKafka(kafka)
              .optGroupId(GROUP)
              .optWorkerId("loadtest-" + (w + 1))
              .optModelDir(o.model())
              .optTokenizerDir(o.tokenizer())
              .optMode(o.mode())
              .optPipelined(o.pipelined())
              .optLagBound(o.lagBound())
              .optMetricsPort(-1);
      if (o.threshold() >= 0) {
        b.optThreshold(o.threshold());
      }
      if (!o.maxAge().isZero()) {
        b.optMaxAge(o.maxAge());
      }
      RecoverWorker worker = new RecoverWorker(b.build());
      worker.start();
      workers.add(worker);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (workers.stream().anyMatch(w -> !w.isAssigned()) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
  }

  /** A thread that SIGKILLs the first worker process {@code o.killAtSeconds()} into the run. */
  private static Thread killer(
      Options o, WorkerProcesses processes, long t0, double[] killedAt, PrintStream out) {
    long at = System.nanoTime() + (long) (o.killAtSeconds() * 1e9);
    Thread t =
        new Thread(
            () -> {
              try {
                Thread.sleep(Math.max(0, (at - System.nanoTime()) / 1_000_000));
                processes.kill(0);
                killedAt[0] = (System.nanoTime() - t0) / 1e9;
                out.printf(
                    "loadtest: SIGKILLed worker %s at %.1f s%n", processes.id(0), killedAt[0]);
              } catch (InterruptedException e) {
                // the run ended first
              }
            },
            "loadtest-killer");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
