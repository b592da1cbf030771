package io.megastream.loadtest.fleet;

import io.megastream.cli.KafkaOptions;
import io.megastream.cli.SyntheticSceneSource;
import io.megastream.mega.inference.PersonRecoverer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code megastream loadtest}: see {@link FleetLoadTest}. */
@Command(
    name = "loadtest",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "A fleet of synthetic cameras paced as live through ingest and recover workers, observed by"
          + " an independent read_committed consumer: capture -> result latency percentiles over"
          + " time, throughput, consumer lag per partition, stale and stochastic shares, dead"
          + " letters, CPU and RSS. Writes report.md, PNG plots and summary.json to --out."
    })
public final class LoadtestCommand implements Callable<Integer> {

  @Option(
      names = "--cameras",
      defaultValue = "2",
      description = "Cameras (default: ${DEFAULT-VALUE}).")
  int cameras;

  @Option(
      names = "--fps",
      defaultValue = "2",
      description = "Frames/s per camera (default: ${DEFAULT-VALUE}).")
  int fps;

  @Option(names = "--seconds", description = "Paced duration (default: 60; with --soak 3600).")
  Integer seconds;

  @Option(
      names = "--persons",
      defaultValue = "2",
      description = "People per camera (default: ${DEFAULT-VALUE}).")
  int persons;

  @Option(
      names = "--workers",
      defaultValue = "1",
      description = "Recover workers in the group (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--bootstrap-server",
      description = "An existing cluster; without it the embedded broker is started.")
  String bootstrapServer;

  @Option(
      names = "--command-config",
      description = "Client properties file for --bootstrap-server.")
  Path commandConfig;

  @Option(names = "--model", defaultValue = "models/mega")
  Path model;

  @Option(names = "--tokenizer", defaultValue = "models/tokenizer")
  Path tokenizer;

  @Option(
      names = "--mode",
      defaultValue = "adaptive",
      description = "deterministic, stochastic or adaptive (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(
      names = "--max-age-ms",
      defaultValue = "0",
      description = "Live mode: skip frames older than this; 0 = process every frame.")
  long maxAgeMs;

  @Option(
      names = "--threshold",
      defaultValue = "-1",
      description =
          "The workers' adaptive threshold on 1 - confidence (lower samples more persons);"
              + " default: theirs.")
  double threshold;

  @Option(
      names = "--lag-bound",
      defaultValue = "-1",
      description =
          "The workers' --lag-bound: frames waiting past which they sample fewer persons; 0 ="
              + " never; default: theirs (on in live mode).")
  int lagBound;

  @Option(
      names = "--pipelined",
      defaultValue = "true",
      negatable = true,
      fallbackValue = "true",
      description =
          "Workers run inference on a thread of their own (default); --no-pipelined: on the"
              + " polling thread, as before.")
  boolean pipelined;

  @Option(
      names = "--compare-serial",
      description =
          "Run the same load twice, serial workers then pipelined ones, into DIR/serial and"
              + " DIR/pipelined, and compare them in DIR/report.md and DIR/summary.json.")
  boolean compareSerial;

  @Option(
      names = "--worker-processes",
      description =
          "Run each recover worker as a JVM of its own (megastream recover), as in production,"
              + " instead of in this process; needed by --kill-worker-at.")
  boolean workerProcesses;

  @Option(
      names = "--kill-worker-at",
      defaultValue = "-1",
      description =
          "SIGKILL the first worker process this many seconds after the cameras start, to check"
              + " that the others take over and the results stay exactly once (default: no kill).")
  double killWorkerAt;

  @Option(
      names = "--soak",
      description =
          "A soak run: worker processes (as --worker-processes) with their RSS and JVM native"
              + " memory (NMT) sampled every 30 s, plotted, and their slopes reported; an hour"
              + " unless --seconds says otherwise. The claim to check is a flat memory curve.")
  boolean soak;

  @Option(
      names = "--attach",
      paramLabel = "GROUP",
      description =
          "Start no workers: drive the cameras at the recover workers already running in consumer"
              + " group GROUP on --bootstrap-server, and observe them.")
  String attach;

  @Option(names = "--out", defaultValue = ".megastream/loadtest", description = "Report directory.")
  Path out;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> kafka = null;
    if (bootstrapServer != null) {
      try {
        kafka = KafkaOptions.properties(bootstrapServer, commandConfig);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
      }
    }
    PersonRecoverer.Mode m;
    try {
      m = PersonRecoverer.Mode.valueOf(mode.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--mode must be deterministic, stochastic or adaptive");
    }
    if (killWorkerAt >= 0 && (!(workerProcesses || soak) || workers < 2)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "--kill-worker-at needs --worker-processes and --workers 2 or more (someone must take"
              + " over)");
    }
    if (attach != null && (bootstrapServer == null || workerProcesses || soak || compareSerial)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "--attach needs --bootstrap-server (where the workers run) and starts no workers of its"
              + " own (no --worker-processes, --soak or --compare-serial)");
    }
    List<FleetSummary> runs = new ArrayList<>();
    for (boolean p : compareSerial ? List.of(false, true) : List.of(pipelined)) {
      Path dir = compareSerial ? out.resolve(p ? "pipelined" : "serial") : out;
      runs.add(
          FleetLoadTest.run(
              new FleetLoadTest.Options(
                  cameras,
                  fps,
                  seconds != null ? seconds : soak ? 3600 : 60,
                  persons,
                  workers,
                  kafka,
                  dir,
                  model,
                  tokenizer,
                  m,
                  Duration.ofMillis(maxAgeMs),
                  p,
                  lagBound,
                  threshold,
                  workerProcesses || soak,
                  killWorkerAt,
                  soak,
                  attach),
              SyntheticSceneSource::create,
              System.out));
    }
    if (compareSerial) {
      FleetReport.compare(runs.get(0), runs.get(1), out);
    }
    System.out.println(Files.readString(out.resolve("report.md")));
    System.out.println("report: " + out.resolve("report.md").toAbsolutePath());
    for (FleetSummary s : runs) {
      if (s.framesSent() == 0) {
        System.err.println("megastream loadtest: no frame was sent (see the ingest error above)");
        return 3;
      }
      if (s.framesWithResult() != s.framesSent() || s.duplicateResults() != 0) {
        return 1;
      }
    }
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadtestCommand()).execute(args));
  }
}
