package io.megastream.loadtest.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * The soak test's memory record: every {@link #EVERY_SECONDS} s, each worker process's resident set
 * (from {@code /proc}) and the JVM's own native memory account (Native Memory Tracking, read with
 * {@code jcmd VM.native_memory summary}; the workers run with {@code
 * -XX:NativeMemoryTracking=summary}). NMT sees the heap, metaspace, threads and the JVM's own
 * allocations; libtorch's and TensorFlow Lite's {@code malloc}s show only in the RSS, so the two
 * curves together say whether a leak is the JVM's or a native library's.
 */
final class MemorySampler implements AutoCloseable {

  static final int EVERY_SECONDS = 30;

  /** One reading of one worker; {@code nmtCommittedBytes} is -1 when jcmd could not read it. */
  record Reading(double atSeconds, String worker, long rssBytes, long nmtCommittedBytes) {}

  /**
   * A worker's memory over the run: first and last readings, and the least-squares slopes over the
   * second half of the run (the first half holds the warm-up: model loading, JIT, buffer pools).
   */
  record Trend(
      double rssStartMb,
      double rssEndMb,
      double rssSlopeMbPerHour,
      double nmtStartMb,
      double nmtEndMb,
      double nmtSlopeMbPerHour,
      int readings) {}

  private static final Pattern TOTAL =
      Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");

  private final List<ProcessHandle> workers;
  private final List<String> ids;
  private final long startNanos;
  private final Path jcmd;
  private final Thread thread;
  private final List<Reading> readings = new ArrayList<>();
  private volatile boolean running = true;

  MemorySampler(List<ProcessHandle> workers, List<String> ids, long startNanos) {
    this.workers = List.copyOf(workers);
    this.ids = List.copyOf(ids);
    this.startNanos = startNanos;
    this.jcmd =
        Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
    this.thread = new Thread(this::loop, "loadtest-memory");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running) {
      for (int i = 0; i < workers.size(); i++) {
        ProcessHandle w = workers.get(i);
        if (!w.isAlive()) {
          continue;
        }
        long rss = Sampler.rss(Path.of("/proc", String.valueOf(w.pid()), "status"));
        long nmt = nmtCommitted(w.pid());
        synchronized (this) {
          readings.add(new Reading((System.nanoTime() - startNanos) / 1e9, ids.get(i), rss, nmt));
        }
      }
      try {
        Thread.sleep(EVERY_SECONDS * 1000L);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private long nmtCommitted(long pid) {
    try {
      Process p =
          new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "VM.native_memory", "summary")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      Matcher m = TOTAL.matcher(out);
      return m.find() ? Long.parseLong(m.group(2)) * 1024 : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  synchronized List<Reading> readings() {
    return new ArrayList<>(readings);
  }

  /** Each worker's trend (insertion order: worker 1 first). */
  static Map<String, Trend> trends(List<Reading> readings) {
    Map<String, List<Reading>> byWorker = new LinkedHashMap<>();
    for (Reading r : readings) {
      byWorker.computeIfAbsent(r.worker(), k -> new ArrayList<>()).add(r);
    }
    double end = readings.stream().mapToDouble(Reading::atSeconds).max().orElse(0);
    double start = readings.stream().mapToDouble(Reading::atSeconds).min().orElse(0);
    double half = (start + end) / 2;
    Map<String, Trend> out = new LinkedHashMap<>();
    byWorker.forEach(
        (w, rs) -> {
          SimpleRegression rss = new SimpleRegression();
          SimpleRegression nmt = new SimpleRegression();
          for (Reading r : rs) {
            if (r.atSeconds() >= half && r.rssBytes() >= 0) {
              rss.addData(r.atSeconds() / 3600, r.rssBytes() / 1048576.0);
            }
            if (r.atSeconds() >= half && r.nmtCommittedBytes() >= 0) {
              nmt.addData(r.atSeconds() / 3600, r.nmtCommittedBytes() / 1048576.0);
            }
          }
          Reading first = rs.get(0);
          Reading last = rs.get(rs.size() - 1);
          out.put(
              w,
              new Trend(
                  mb(first.rssBytes()),
                  mb(last.rssBytes()),
                  rss.getSlope(),
                  mb(first.nmtCommittedBytes()),
                  mb(last.nmtCommittedBytes()),
                  nmt.getSlope(),
                  rs.size()));
        });
    return out;
  }

  private static double mb(long bytes) {
    return bytes < 0 ? Double.NaN : bytes / 1048576.0;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(35_000);
  }
}
