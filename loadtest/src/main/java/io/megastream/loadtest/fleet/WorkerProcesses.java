package io.megastream.loadtest.fleet;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;

/**
 * Recover workers as separate JVMs, each {@code megastream recover} exactly as an operator starts
 * it, so that one can be killed for real ({@code SIGKILL}: no shutdown hook, no last commit, its
 * open transaction left to the broker). Each worker's output goes to {@code worker-N.log} in the
 * report directory. The children inherit this JVM's class path and run DJL offline.
 */
final class WorkerProcesses implements AutoCloseable {

  private final List<Process> processes = new ArrayList<>();
  private final List<String> ids = new ArrayList<>();

  private WorkerProcesses() {}

  /**
   * Starts {@code o.workers()} workers in consumer group {@code group}.
   *
   * @param kafka client properties (written to a {@code --command-config} file for the children)
   */
  static WorkerProcesses start(
      FleetLoadTest.Options o, Map<String, Object> kafka, String group, Path dir)
      throws IOException {
    Path config = dir.resolve("worker-kafka.properties");
    Properties p = new Properties();
    kafka.forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
    try (Writer w = Files.newBufferedWriter(config)) {
      p.store(w, "client properties of the load test's worker processes");
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    WorkerProcesses out = new WorkerProcesses();
    try {
      for (int i = 1; i <= o.workers(); i++) {
        String id = "loadtest-" + i;
        List<String> cmd =
            new ArrayList<>(
                List.of(
                    java,
                    "-Dai.djl.offline=true",
                    // the soak test reads the JVM's own memory account with jcmd
                    o.soak() ? "-XX:NativeMemoryTracking=summary" : "-XX:NativeMemoryTracking=off",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "io.megastream.cli.Main",
                    "recover",
                    "--bootstrap-server",
                    String.valueOf(kafka.get("bootstrap.servers")),
                    "--command-config",
                    config.toString(),
                    "--group",
                    group,
                    "--worker-id",
                    id,
                    "--model",
                    o.model().toString(),
                    "--tokenizer",
                    o.tokenizer().toString(),
                    "--mode",
                    o.mode().name().toLowerCase(Locale.ROOT),
                    "--metrics-port",
                    "-1",
                    o.pipelined() ? "--pipelined" : "--no-pipelined"));
        if (o.lagBound() >= 0) {
          cmd.addAll(List.of("--lag-bound", String.valueOf(o.lagBound())));
        }
        if (o.threshold() >= 0) {
          cmd.addAll(List.of("--threshold", String.valueOf(o.threshold())));
        }
        if (!o.maxAge().isZero()) {
          cmd.addAll(List.of("--max-age-ms", String.valueOf(o.maxAge().toMillis())));
        }
        ProcessBuilder b = new ProcessBuilder(cmd);
        b.environment().put("OPT_OUT_TRACKING", "true");
        b.environment().put("DJL_OFFLINE", "true");
        b.redirectErrorStream(true);
        b.redirectOutput(dir.resolve("worker-" + i + ".log").toFile());
        out.processes.add(b.start());
        out.ids.add(id);
      }
    } catch (IOException | RuntimeException e) {
      out.close();
      throw e;
    }
    return out;
  }

  /**
   * Waits until the group has every live worker as a member with partitions, so that load starts on
   * a settled group.
   *
   * @throws IllegalStateException if a worker exited or the group did not settle in time
   */
  void awaitGroup(Admin admin, String group, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < processes.size(); i++) {
        if (!processes.get(i).isAlive()) {
          throw new IllegalStateException(
              ids.get(i)
                  + " exited with "
                  + processes.get(i).exitValue()
                  + " before joining the group (see its worker log)");
        }
      }
      try {
        ConsumerGroupDescription d =
            admin
                .describeConsumerGroups(List.of(group))
                .describedGroups()
                .get(group)
                .get(5, TimeUnit.SECONDS);
        long withPartitions =
            d.members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
        if (withPartitions == processes.size()) {
          return;
        }
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // the group does not exist yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "the " + processes.size() + " worker processes did not all join group " + group);
  }

  /** SIGKILLs worker {@code index} (0-based) and waits for it to be gone. */
  void kill(int index) throws InterruptedException {
    Process p = processes.get(index);
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
  }

  String id(int index) {
    return ids.get(index);
  }

  List<String> ids() {
    return List.copyOf(ids);
  }

  /** The workers' process handles (for CPU and memory sampling). */
  List<ProcessHandle> handles() {
    return processes.stream().map(Process::toHandle).toList();
  }

  /** Stops the workers that are still running: SIGTERM, then SIGKILL after 20 s. */
  @Override
  public void close() {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
