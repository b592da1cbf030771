package io.megastream.loadtest.fleet;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Writes the load test's {@code summary.json}, {@code report.md} and PNG plots (XChart). */
final class FleetReport {

  /** Width of the windows the latency percentiles are taken over, seconds. */
  static final double WINDOW = 5;

  private FleetReport() {}

  static void write(
      FleetLoadTest.Options o,
      FleetSummary s,
      List<LatencyProbe.Seen> seen,
      List<Sampler.Sample> samples,
      List<MemorySampler.Reading> memory,
      Path dir)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    json(s, dir.resolve("summary.json"));
    latency(seen, dir.resolve("latency.png"));
    throughput(seen, dir.resolve("throughput.png"));
    lag(samples, dir.resolve("lag.png"));
    resources(samples, dir.resolve("resources.png"));
    sampling(seen, dir.resolve("sampling.png"));
    if (!memory.isEmpty()) {
      memory(memory, dir.resolve("memory.png"));
    }
    Files.writeString(dir.resolve("report.md"), markdown(o, s));
  }

  private static void latency(List<LatencyProbe.Seen> seen, Path png) throws IOException {
    XYChart c = chart("Capture -> result latency (read_committed subscriber)", "s", "ms");
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    Map<Integer, List<Double>> windows = new TreeMap<>();
    for (LatencyProbe.Seen r : seen) {
      x.add(r.atSeconds());
      y.add(r.latencyMs());
      windows
          .computeIfAbsent((int) (r.atSeconds() / WINDOW), k -> new ArrayList<>())
          .add(r.latencyMs());
    }
    if (!x.isEmpty()) {
      XYSeries all = c.addSeries("each result", x, y);
      all.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      all.setMarker(SeriesMarkers.CIRCLE);
      List<Double> wx = new ArrayList<>();
      List<Double> p50 = new ArrayList<>();
      List<Double> p99 = new ArrayList<>();
      windows.forEach(
          (w, values) -> {
            double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            wx.add((w + 0.5) * WINDOW);
            p50.add(FleetSummary.quantile(v, 0.5));
            p99.add(FleetSummary.quantile(v, 0.99));
          });
      c.addSeries("p50 per " + (int) WINDOW + " s", wx, p50).setMarker(SeriesMarkers.NONE);
      c.addSeries("p99 per " + (int) WINDOW + " s", wx, p99).setMarker(SeriesMarkers.NONE);
    }
    save(c, png);
  }

  private static void throughput(List<LatencyProbe.Seen> seen, Path png) throws IOException {
    XYChart c = chart("Results per second (all statuses)", "s", "results/s");
    Map<Integer, Integer> perSecond = new TreeMap<>();
    for (LatencyProbe.Seen r : seen) {
      perSecond.merge((int) r.atSeconds(), 1, Integer::sum);
    }
    if (!perSecond.isEmpty()) {
      int last = ((TreeMap<Integer, Integer>) perSecond).lastKey();
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (int t = 0; t <= last; t++) {
        x.add((double) t);
        y.add((double) perSecond.getOrDefault(t, 0));
      }
      c.addSeries("results/s", x, y).setMarker(SeriesMarkers.NONE);
    }
    save(c, png);
  }

  /**
   * The same load through serial and pipelined workers: {@code summary.json} holds both summaries
   * (keys {@code serial}, {@code pipelined}), {@code report.md} a table of the two and links to
   * each run's own report.
   */
  static void compare(FleetSummary serial, FleetSummary pipelined, Path dir) throws IOException {
    json(Map.of("serial", serial, "pipelined", pipelined), dir.resolve("summary.json"));
    StringBuilder b = new StringBuilder();
    b.append("# MegaStream load test: serial against pipelined workers\n\n")
        .append(
            String.format(
                Locale.ROOT,
                "The same load, one run after the other: %d synthetic camera(s) x %.1f fps x %d s,"
                    + " %d person(s) each, %d worker(s), mode %s%s; %d cores shared by ingest, the"
                    + " workers and the observer. Each run's own report: [serial](serial/report.md),"
                    + " [pipelined](pipelined/report.md).%n%n",
                serial.cameras(),
                serial.fps(),
                serial.seconds(),
                serial.personsPerCamera(),
                serial.workers(),
                serial.mode(),
                serial.maxAgeMs() > 0 ? ", live (--max-age-ms " + serial.maxAgeMs() + ")" : "",
                serial.cores()))
        .append(
            "| worker | frames sent / with a result | persons/s | p50 ms | p90 ms | p99 ms | max ms"
                + " | p99/p50 | stochastic share | stale share | max lag |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (FleetSummary s : List.of(serial, pipelined)) {
      b.append("| ")
          .append(
              String.join(
                  " | ",
                  s.pipelined() ? "pipelined" : "serial",
                  s.framesSent() + " / " + s.framesWithResult(),
                  fmt(s.personsPerSecond()),
                  fmt(s.latencyP50Ms()),
                  fmt(s.latencyP90Ms()),
                  fmt(s.latencyP99Ms()),
                  fmt(s.latencyMaxMs()),
                  fmt(s.p99OverP50()),
                  fmt(s.stochasticShare()),
                  fmt(s.staleShare()),
                  String.valueOf(s.maxLag())))
          .append(" |\n");
    }
    b.append(
        "\n![serial latency](serial/latency.png)\n\n![pipelined latency](pipelined/latency.png)\n");
    Files.writeString(dir.resolve("report.md"), b.toString());
  }

  /** Per window: the share of OK persons sampled and the mean threshold their workers had. */
  private static void sampling(List<LatencyProbe.Seen> seen, Path png) throws IOException {
    XYChart c =
        chart(
            "Sampling under load: stochastic share and threshold in force", "s", "share / 1-conf");
    Map<Integer, double[]> windows = new TreeMap<>(); // {ok, stochastic, threshold sum}
    for (LatencyProbe.Seen r : seen) {
      if (r.status() != io.megastream.proto.RecoveryStatus.RECOVERY_STATUS_OK) {
        continue;
      }
      double[] w = windows.computeIfAbsent((int) (r.atSeconds() / WINDOW), k -> new double[3]);
      w[0]++;
      w[1] += r.stochastic() ? 1 : 0;
      w[2] += r.threshold();
    }
    if (!windows.isEmpty()) {
      List<Double> x = new ArrayList<>();
      List<Double> share = new ArrayList<>();
      List<Double> threshold = new ArrayList<>();
      windows.forEach(
          (k, w) -> {
            x.add((k + 0.5) * WINDOW);
            share.add(w[1] / w[0]);
            threshold.add(w[2] / w[0]);
          });
      c.addSeries("stochastic share of OK persons", x, share).setMarker(SeriesMarkers.NONE);
      c.addSeries("mean threshold in force (1: not sampling)", x, threshold)
          .setMarker(SeriesMarkers.NONE);
    }
    save(c, png);
  }

  private static void lag(List<Sampler.Sample> samples, Path png) throws IOException {
    XYChart c = chart("Worker group's consumer lag on 'frames'", "s", "frames");
    Map<Integer, List<Double>> byPartition = new TreeMap<>();
    List<Double> x = new ArrayList<>();
    List<Double> total = new ArrayList<>();
    for (Sampler.Sample s : samples) {
      x.add(s.atSeconds());
      total.add((double) FleetSummary.totalLag(s));
    }
    if (!x.isEmpty()) {
      c.addSeries("total", x, total).setMarker(SeriesMarkers.NONE);
      for (Sampler.Sample s : samples) {
        s.lag().forEach((p, l) -> byPartition.computeIfAbsent(p, k -> new ArrayList<>()));
      }
      for (int p : byPartition.keySet()) {
        List<Double> px = new ArrayList<>();
        List<Double> py = new ArrayList<>();
        for (Sampler.Sample s : samples) {
          if (s.lag().containsKey(p)) {
            px.add(s.atSeconds());
            py.add((double) s.lag().get(p));
          }
        }
        if (py.stream().anyMatch(v -> v > 0)) {
          c.addSeries("partition " + p, px, py).setMarker(SeriesMarkers.NONE);
        }
      }
    }
    save(c, png);
  }

  private static void resources(List<Sampler.Sample> samples, Path png) throws IOException {
    XYChart c =
        chart("Load test and worker processes: CPU (cores busy) and RSS (GiB)", "s", "cores / GiB");
    List<Double> x = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    List<Double> rss = new ArrayList<>();
    for (Sampler.Sample s : samples) {
      x.add(s.atSeconds());
      cpu.add(s.cpuCores());
      rss.add(s.rssBytes() / 1073741824.0);
    }
    if (!x.isEmpty()) {
      c.addSeries("CPU, cores", x, cpu).setMarker(SeriesMarkers.NONE);
      c.addSeries("RSS, GiB", x, rss).setMarker(SeriesMarkers.NONE);
    }
    save(c, png);
  }

  private static void memory(List<MemorySampler.Reading> readings, Path png) throws IOException {
    XYChart c = chart("Worker processes: RSS and JVM native memory (NMT committed)", "s", "MiB");
    Map<String, List<MemorySampler.Reading>> byWorker = new TreeMap<>();
    for (MemorySampler.Reading r : readings) {
      byWorker.computeIfAbsent(r.worker(), k -> new ArrayList<>()).add(r);
    }
    byWorker.forEach(
        (w, rs) -> {
          List<Double> x = new ArrayList<>();
          List<Double> rss = new ArrayList<>();
          List<Double> nx = new ArrayList<>();
          List<Double> nmt = new ArrayList<>();
          for (MemorySampler.Reading r : rs) {
            if (r.rssBytes() >= 0) {
              x.add(r.atSeconds());
              rss.add(r.rssBytes() / 1048576.0);
            }
            if (r.nmtCommittedBytes() >= 0) {
              nx.add(r.atSeconds());
              nmt.add(r.nmtCommittedBytes() / 1048576.0);
            }
          }
          if (!x.isEmpty()) {
            c.addSeries(w + " RSS", x, rss).setMarker(SeriesMarkers.NONE);
          }
          if (!nx.isEmpty()) {
            c.addSeries(w + " NMT", nx, nmt).setMarker(SeriesMarkers.NONE);
          }
        });
    save(c, png);
  }

  private static XYChart chart(String title, String x, String y) {
    XYChart c =
        new XYChartBuilder()
            .width(900)
            .height(420)
            .title(title)
            .xAxisTitle(x)
            .yAxisTitle(y)
            .build();
    c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
    return c;
  }

  /** {@code value} as pretty JSON (NaN kept as NaN: a figure the run could not measure). */
  private static void json(Object value, Path file) throws IOException {
    Files.writeString(
        file,
        new GsonBuilder()
                .setPrettyPrinting()
                .serializeSpecialFloatingPointValues()
                .create()
                .toJson(value)
            + "\n");
  }

  private static void save(XYChart c, Path png) throws IOException {
    BitmapEncoder.saveBitmap(c, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static String markdown(FleetLoadTest.Options o, FleetSummary s) {
    StringBuilder b = new StringBuilder();
    b.append("# MegaStream load test\n\n")
        .append(
            String.format(
                Locale.ROOT,
                "%d synthetic camera(s) x %.1f fps x %d s, %d person(s) each, paced as live; %s;"
                    + " %d cores. %s%n%n",
                s.cameras(),
                s.fps(),
                s.seconds(),
                s.personsPerCamera(),
                workersDescription(o, s),
                s.cores(),
                s.workerProcesses() || s.attachedGroup() != null
                    ? "Ingest (rendering the scenes) and the observer run in this process; all"
                        + " share the machine's cores."
                    : "Ingest (rendering the scenes), the workers and the observer share this one"
                        + " process and its cores."))
        .append("| figure | value |\n|---|---|\n");
    row(b, "frames sent / with a result", s.framesSent() + " / " + s.framesWithResult());
    row(b, "results (persons OK)", s.results() + " (" + s.personsOk() + ")");
    row(b, "duplicate results (exactly once: 0)", String.valueOf(s.duplicateResults()));
    row(b, "results by worker", s.resultsByWorker().toString());
    if (s.killedAtSeconds() >= 0) {
      row(b, "worker SIGKILLed at, s (on the plots' time axis)", fmt(s.killedAtSeconds()));
    }
    row(b, "offered frames/s", fmt(s.offeredFramesPerSecond()));
    row(
        b,
        "frames/s, persons/s delivered",
        fmt(s.framesPerSecond()) + ", " + fmt(s.personsPerSecond()));
    row(
        b,
        "end-to-end p50 / p90 / p99 / max, ms",
        fmt(s.latencyP50Ms())
            + " / "
            + fmt(s.latencyP90Ms())
            + " / "
            + fmt(s.latencyP99Ms())
            + " / "
            + fmt(s.latencyMaxMs()));
    row(b, "p99 / p50", fmt(s.p99OverP50()));
    row(b, "stale-skipped share of results", fmt(s.staleShare()));
    row(b, "stochastic share of OK persons", fmt(s.stochasticShare()));
    row(b, "dead letters, unreadable results", s.deadLetters() + ", " + s.unreadableResults());
    row(b, "consumer lag max / at the end, frames", s.maxLag() + " / " + s.endLag());
    row(b, "CPU mean, cores", fmt(s.meanCpuCores()));
    row(
        b,
        "RSS start / max / end, MiB",
        fmt(s.startRssMb()) + " / " + fmt(s.maxRssMb()) + " / " + fmt(s.endRssMb()));
    if (!s.memory().isEmpty()) {
      b.append(
              "\n**Memory (soak)**: each worker's resident set and the JVM's native memory account"
                  + " (NMT), first and last readings and the least-squares slope over the second"
                  + " half of the run, MiB:\n\n")
          .append("| worker | RSS first / last | RSS slope, MiB/h | NMT first / last |")
          .append(" NMT slope, MiB/h | readings |\n|---|---|---|---|---|---|\n");
      s.memory()
          .forEach(
              (w, t) ->
                  b.append(
                      String.format(
                          Locale.ROOT,
                          "| %s | %s / %s | %s | %s / %s | %s | %d |%n",
                          w,
                          fmt(t.rssStartMb()),
                          fmt(t.rssEndMb()),
                          fmt(t.rssSlopeMbPerHour()),
                          fmt(t.nmtStartMb()),
                          fmt(t.nmtEndMb()),
                          fmt(t.nmtSlopeMbPerHour()),
                          t.readings())));
      b.append("\n![memory](memory.png)\n");
    }
    b.append("\n![latency](latency.png)\n\n![throughput](throughput.png)\n\n")
        .append("![lag](lag.png)\n\n![sampling](sampling.png)\n\n")
        .append("![resources](resources.png)\n");
    return b.toString();
  }

  private static String workersDescription(FleetLoadTest.Options o, FleetSummary s) {
    if (s.attachedGroup() != null) {
      return "the recover workers already running in group "
          + s.attachedGroup()
          + " (attached: their settings are their own)";
    }
    return String.format(
        Locale.ROOT,
        "%d %s recover worker(s)%s, mode %s (threshold %.2f)%s, model %s",
        s.workers(),
        s.pipelined() ? "pipelined" : "serial",
        s.workerProcesses() ? " in processes of their own" : "",
        s.mode(),
        s.threshold(),
        s.maxAgeMs() > 0
            ? ", live (--max-age-ms "
                + s.maxAgeMs()
                + (s.lagBound() >= 0 ? ", --lag-bound " + s.lagBound() : "")
                + ")"
            : "",
        o.model());
  }

  private static void row(StringBuilder b, String k, String v) {
    b.append("| ").append(k).append(" | ").append(v).append(" |\n");
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.2f", v);
  }
}
