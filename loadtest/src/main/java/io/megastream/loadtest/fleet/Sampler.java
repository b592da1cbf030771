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
 * own tools compute it), this process's CPU (cores busy) and resident memory.
 */
final class Sampler implements AutoCloseable {

  /** One sample. */
  record Sample(double atSeconds, Map<Integer, Long> lag, double cpuCores, long rssBytes) {}

  private final Admin admin;
  private final String group;
  private final long startNanos;
  private final Thread thread;
  private final List<Sample> samples = new ArrayList<>();
  private volatile boolean running = true;

  Sampler(Map<String, Object> kafka, String group, long startNanos) {
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
    long lastCpu = os.getProcessCpuTime();
    long lastWall = System.nanoTime();
    while (running) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
      long cpu = os.getProcessCpuTime();
      long wall = System.nanoTime();
      double cores = (cpu - lastCpu) / (double) (wall - lastWall);
      lastCpu = cpu;
      lastWall = wall;
      Sample s = new Sample((wall - startNanos) / 1e9, lag(), cores, rss());
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

  /** Resident set size from /proc (Linux), or the JVM's heap in use elsewhere. */
  static long rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
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
