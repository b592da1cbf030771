package io.megastream.cli;

import io.megastream.ingest.DetectorUnavailableException;
import io.megastream.ingest.Ingest;
import io.megastream.ingest.IngestConfig;
import io.megastream.ingest.IngestException;
import io.megastream.ingest.IngestResult;
import io.megastream.ingest.IngestStats;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs an {@link Ingest} to its end with a progress line on the terminal and a Ctrl-C hook that
 * stops the cameras and waits until everything read is delivered.
 */
final class IngestRunner {

  private IngestRunner() {}

  /** Runs ingest and returns its result; prints progress every {@code progress} (zero: never). */
  static IngestResult run(IngestConfig config, Duration progress, PrintStream out)
      throws InterruptedException {
    Ingest ingest = new Ingest(config);
    CountDownLatch done = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              ingest.stop();
              try {
                done.await(60, TimeUnit.SECONDS); // let main deliver what was read, then exit
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "ingest-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Thread printer = null;
    try {
      ingest.start();
      if (!progress.isZero()) {
        printer = new Thread(() -> printProgress(ingest, progress, out), "ingest-progress");
        printer.setDaemon(true);
        printer.start();
      }
      IngestResult result;
      do {
        result = ingest.awaitCompletion(Duration.ofSeconds(1));
      } while (result == null);
      return result;
    } finally {
      if (printer != null) {
        printer.interrupt();
      }
      ingest.close();
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it will return as soon as done is counted down
      }
    }
  }

  /** Maps a result to the exit code and prints the final per-camera summary. */
  static int report(IngestResult result, double seconds, PrintStream out) {
    out.println(summary(result.stats(), seconds));
    out.println((result.ok() ? "ingest: " : "ingest FAILED: ") + result.message());
    return switch (result.outcome()) {
      case COMPLETED, STOPPED -> ExitCodes.OK;
      case SOURCE_UNAVAILABLE -> ExitCodes.SOURCE_UNAVAILABLE;
      case DELIVERY_FAILED -> ExitCodes.KAFKA_UNAVAILABLE;
    };
  }

  /** Exit code and message for a failure to start. */
  static int startFailure(IngestException e, PrintStream err) {
    err.println("megastream ingest: " + e.getMessage());
    return e instanceof DetectorUnavailableException
        ? ExitCodes.SOURCE_UNAVAILABLE
        : ExitCodes.KAFKA_UNAVAILABLE;
  }

  static String summary(IngestStats stats, double seconds) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            "%-16s %8s %8s %8s %8s %8s %8s %9s %8s %8s%n",
            "camera",
            "read",
            "sent",
            "dropped",
            "corrupt",
            "oversize",
            "failed",
            "persons",
            "labels",
            "fps"));
    Map<String, IngestStats.Camera> sorted = new TreeMap<>(stats.cameras());
    sorted.forEach(
        (id, c) ->
            sb.append(
                String.format(
                    "%-16s %8d %8d %8d %8d %8d %8d %9d %8d %8.1f%n",
                    id,
                    c.read(),
                    c.sent(),
                    c.dropped(),
                    c.corrupt(),
                    c.oversize(),
                    c.failed(),
                    c.persons(),
                    c.labels(),
                    seconds > 0 ? c.sent() / seconds : 0)));
    return sb.toString().stripTrailing();
  }

  private static void printProgress(Ingest ingest, Duration every, PrintStream out) {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(every.toMillis());
        IngestStats s = ingest.stats();
        double t = ingest.elapsedSeconds();
        out.printf(
            "[%6.1fs] read %d, sent %d (%.1f fps, %.1f MB/s), dropped %d, corrupt %d, oversize %d,"
                + " failed %d%n",
            t,
            s.total(IngestStats.Camera::read),
            s.total(IngestStats.Camera::sent),
            s.total(IngestStats.Camera::sent) / t,
            s.total(IngestStats.Camera::sentBytes) / t / 1e6,
            s.total(IngestStats.Camera::dropped),
            s.total(IngestStats.Camera::corrupt),
            s.total(IngestStats.Camera::oversize),
            s.total(IngestStats.Camera::failed));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
