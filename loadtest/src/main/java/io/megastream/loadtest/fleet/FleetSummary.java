package io.megastream.loadtest.fleet;

import io.megastream.proto.RecoveryStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The load test's figures, as written to {@code summary.json}. Latencies are capture → readable by
 * a read_committed subscriber, over every result (warm-up included: a user's first frames count).
 * {@code duplicateResults} counts results beyond the first for one person of one frame (exactly
 * once: 0); {@code killedAtSeconds} is when a worker process was SIGKILLed (−1: none); {@code
 * memory} holds each worker process's memory trend in a soak run (empty otherwise).
 */
public record FleetSummary(
    int cameras,
    double fps,
    int seconds,
    int personsPerCamera,
    int workers,
    boolean workerProcesses,
    String attachedGroup,
    double killedAtSeconds,
    String mode,
    long maxAgeMs,
    boolean pipelined,
    int lagBound,
    double threshold,
    int cores,
    long framesSent,
    long framesWithResult,
    long results,
    long duplicateResults,
    Map<String, Long> resultsByWorker,
    long personsOk,
    double staleShare,
    double stochasticShare,
    long deadLetters,
    long unreadableResults,
    double offeredFramesPerSecond,
    double framesPerSecond,
    double personsPerSecond,
    double latencyP50Ms,
    double latencyP90Ms,
    double latencyP99Ms,
    double latencyMaxMs,
    double p99OverP50,
    long maxLag,
    long endLag,
    double meanCpuCores,
    double maxRssMb,
    double startRssMb,
    double endRssMb,
    Map<String, MemorySampler.Trend> memory) {

  static FleetSummary of(
      FleetLoadTest.Options o,
      long sent,
      double ingestStartSeconds,
      double pacedSeconds,
      List<LatencyProbe.Seen> seen,
      long unreadable,
      List<Sampler.Sample> samples,
      long deadLetters,
      double killedAtSeconds,
      Map<String, MemorySampler.Trend> memory) {
    double[] lat = seen.stream().mapToDouble(LatencyProbe.Seen::latencyMs).sorted().toArray();
    long ok = seen.stream().filter(s -> s.status() == RecoveryStatus.RECOVERY_STATUS_OK).count();
    long stale =
        seen.stream()
            .filter(s -> s.status() == RecoveryStatus.RECOVERY_STATUS_SKIPPED_STALE)
            .count();
    long stochastic = seen.stream().filter(LatencyProbe.Seen::stochastic).count();
    long frames = seen.stream().map(s -> s.camera() + "/" + s.seq()).distinct().count();
    long persons =
        seen.stream().map(s -> s.camera() + "/" + s.seq() + "/" + s.person()).distinct().count();
    Map<String, Long> byWorker =
        seen.stream()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    LatencyProbe.Seen::worker,
                    java.util.TreeMap::new,
                    java.util.stream.Collectors.counting()));
    double last =
        seen.stream().mapToDouble(LatencyProbe.Seen::atSeconds).max().orElse(ingestStartSeconds);
    double window = Math.max(1e-3, last - ingestStartSeconds);
    long[] lags = samples.stream().mapToLong(FleetSummary::totalLag).toArray();
    double[] cpu = samples.stream().mapToDouble(Sampler.Sample::cpuCores).toArray();
    double[] rss = samples.stream().mapToDouble(s -> s.rssBytes() / 1048576.0).toArray();
    double p50 = quantile(lat, 0.5);
    double p99 = quantile(lat, 0.99);
    return new FleetSummary(
        o.cameras(),
        o.fps(),
        o.seconds(),
        o.persons(),
        o.workers(),
        o.processes(),
        o.attachGroup(),
        killedAtSeconds,
        o.mode().name().toLowerCase(java.util.Locale.ROOT),
        o.maxAge().toMillis(),
        o.pipelined(),
        o.lagBound(),
        o.threshold() >= 0 ? o.threshold() : io.megastream.recover.RecoverConfig.DEFAULT_THRESHOLD,
        Runtime.getRuntime().availableProcessors(),
        sent,
        frames,
        seen.size(),
        seen.size() - persons,
        byWorker,
        ok,
        seen.isEmpty() ? 0 : (double) stale / seen.size(),
        ok == 0 ? 0 : (double) stochastic / ok,
        deadLetters,
        unreadable,
        o.cameras() * o.fps(),
        frames / window,
        ok / window,
        p50,
        quantile(lat, 0.9),
        p99,
        lat.length == 0 ? Double.NaN : lat[lat.length - 1],
        p99 / p50,
        Arrays.stream(lags).max().orElse(0),
        lags.length == 0 ? 0 : lags[lags.length - 1],
        Arrays.stream(cpu).average().orElse(Double.NaN),
        Arrays.stream(rss).max().orElse(Double.NaN),
        rss.length == 0 ? Double.NaN : rss[0],
        rss.length == 0 ? Double.NaN : rss[rss.length - 1],
        memory);
  }

  static long totalLag(Sampler.Sample s) {
    return s.lag().values().stream().mapToLong(Long::longValue).sum();
  }

  /** The q-quantile of sorted values (nearest rank); NaN if empty. */
  static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
