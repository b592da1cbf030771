package io.megastream.loadtest.fleet;

import io.megastream.proto.Topics;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Samples, once a second, what the report plots beside latency: the worker group's consumer lag on
 * {@code frames} per partition (end offset minus committed offset, via the Admin API, as Kafka's
 * own tools compute it), the CPU (cores busy) and resident memory of this process and of any worker
 * processes it started.
 */
final class Sampler implements AutoCloseable {

  /** One sample. */
  record Sample(double atSeconds, Map<Integer, Long> lag, double cpuCores, long rssBytes) {}

  private final Admin admin;
  private final String group;
  private final long startNanos;
  private final Thread thread;
  private final List<Sample> samples = new ArrayList<>();
  private final List<ProcessHandle> workers;
  private volatile boolean running = true;

  Sampler(Map<String, Object> kafka, String group, long startNanos) {
    this(kafka, group, startNanos, List.of());
  }

  /** As the three-argument form, adding the CPU and memory of {@code workers} while they live. */
  Sampler(Map<String, Object> kafka, String group, long startNanos, List<ProcessHandle> workers) {
    this.workers = List.copyOf(workers);
    this.admin = Admin.create(kafka);
    this.group = group;
    this.startNanos = startNanos;
    this.thread = new Thread(this::loop, "loadtest-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long lastCpu = os.getProcessCpuTime() + workersCpuNanos();
    long lastWall = System.nanoTime();
    while (running) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
      long cpu = os.getProcessCpuTime() + workersCpuNanos();
      long wall = System.nanoTime();
      // a killed worker's CPU leaves the sum: no negative sample
      double cores = Math.max(0, (cpu - lastCpu) / (double) (wall - lastWall));
      lastCpu = cpu;
      lastWall = wall;
      long rss = rss();
      for (ProcessHandle w : workers) {
        if (w.isAlive()) {
          rss += Math.max(0, rss(Path.of("/proc", String.valueOf(w.pid()), "status")));
        }
      }
      Sample s = new Sample((wall - startNanos) / 1e9, lag(), cores, rss);
      synchronized (this) {
        samples.add(s);
      }
    }
  }

  private Map<Integer, Long> lag() {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(5, TimeUnit.SECONDS);
      var parts =
          admin
              .describeTopics(List.of(Topics.FRAMES.name()))
              .allTopicNames()
              .get(5, TimeUnit.SECONDS)
              .get(Topics.FRAMES.name())
              .partitions();
      Map<TopicPartition, OffsetSpec> want = new java.util.HashMap<>();
      for (var p : parts) {
        want.put(new TopicPartition(Topics.FRAMES.name(), p.partition()), OffsetSpec.latest());
      }
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end =
          admin.listOffsets(want).all().get(5, TimeUnit.SECONDS);
      Map<Integer, Long> out = new java.util.TreeMap<>();
      end.forEach(
          (tp, info) -> {
            OffsetAndMetadata c = committed.get(tp);
            out.put(tp.partition(), Math.max(0, info.offset() - (c == null ? 0 : c.offset())));
          });
      return out;
    } catch (Exception e) {
      return Map.of(); // a missed sample, not a failed test
    }
  }

  private long workersCpuNanos() {
    long sum = 0;
    for (ProcessHandle w : workers) {
      sum += w.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }
    return sum;
  }

  /** Resident set size from /proc (Linux), or the JVM's heap in use elsewhere. */
  static long rss() {
    long own = rss(Path.of("/proc/self/status"));
    if (own >= 0) {
      return own;
    }
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  /** VmRSS of a /proc status file, or -1 if it cannot be read. */
  static long rss(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or the process is gone
    }
    return -1;
  }

  synchronized List<Sample> samples() {
    return new ArrayList<>(samples);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(5_000);
    admin.close();
  }
}
