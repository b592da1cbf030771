package io.megastream.loadtest.fleet;

import io.megastream.cli.KafkaOptions;
import io.megastream.cli.SyntheticSceneSource;
import io.megastream.mega.inference.PersonRecoverer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

  @Option(
      names = "--seconds",
      defaultValue = "60",
      description = "Paced duration (default: ${DEFAULT-VALUE}).")
  int seconds;

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
    FleetSummary s =
        FleetLoadTest.run(
            new FleetLoadTest.Options(
                cameras,
                fps,
                seconds,
                persons,
                workers,
                kafka,
                out,
                model,
                tokenizer,
                m,
                Duration.ofMillis(maxAgeMs)),
            SyntheticSceneSource::create,
            System.out);
    System.out.println(Files.readString(out.resolve("report.md")));
    System.out.println("report: " + out.resolve("report.md").toAbsolutePath());
    if (s.framesSent() == 0) {
      System.err.println("megastream loadtest: no frame was sent (see the ingest error above)");
      return 3;
    }
    return s.framesWithResult() == s.framesSent() ? 0 : 1;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadtestCommand()).execute(args));
  }
}
