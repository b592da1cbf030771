package io.megastream.recover;

import static io.megastream.recover.RecoverFixtures.config;
import static io.megastream.recover.RecoverFixtures.expectedIds;
import static io.megastream.recover.RecoverFixtures.frames;
import static io.megastream.recover.RecoverFixtures.producer;
import static io.megastream.recover.RecoverFixtures.readCommitted;
import static io.megastream.recover.RecoverFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.broker.testing.SharedKafka;
import io.megastream.proto.Frame;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Workers as real processes ({@link WorkerProcess}): kill -9 and restart, SIGTERM mid-batch, and
 * repeated start/stop under glibc's malloc checks. Every outcome is read back read_committed.
 */
@ExtendWith(SharedKafka.class)
class RecoverProcessIT {

  private static final Path LOGS = Path.of("target", "worker-processes");

  @Test
  void shouldFlowAgainWithinSecondsAfterKill9AndARestartWithTheSameId(EmbeddedKafkaBroker kafka)
      throws Exception {
    String bootstrap = kafka.bootstrapServers();
    // Given: a camera that keeps sending, a worker process on it that is killed with SIGKILL
    // Then (both ways, in one run): the time from the kill to the next committed result
    double[] sameId = stallAfterKill(bootstrap, "fo-same", true);
    double[] newId = stallAfterKill(bootstrap, "fo-new", false);
    System.out.printf(
        "fail-over after kill -9 and an immediate restart, session timeout 20 s: with the same"
            + " worker id results flow again %.1f s after the kill (the new process took %.1f s to"
            + " start); with a new id (the old default, host-pid) %.1f s (start %.1f s)%n",
        sameId[0], sameId[1], newId[0], newId[1]);
    // the dead member's partitions wait out the session timeout unless its id comes back
    // (or a rebalance's timeout, max.poll.interval.ms: 10 s here, 5 min by default)
    assertThat(newId[0]).isGreaterThan(10);
    assertThat(sameId[0]).isLessThan(newId[0]);
    assertThat(sameId[0] - sameId[1]).as("stall beyond the process start").isLessThan(8);
  }

  /**
   * {seconds from kill -9 to the next committed result, seconds the new process took to start},
   * restarting with the same or a new id.
   */
  private static double[] stallAfterKill(String bootstrap, String camera, boolean sameId)
      throws Exception {
    String group = "group-" + camera;
    RecoverFixtures.startAtEnd(bootstrap, group);
    List<Frame> frames = frames(camera, camera.hashCode(), 60, 1);
    Thread feeder =
        new Thread(
            () -> {
              try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
                for (Frame f : frames) {
                  send(p, Topics.FRAMES, camera, List.of(f));
                  Thread.sleep(250);
                }
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            },
            "feeder-" + camera);
    feeder.start();
    String session = "sessionTimeoutMs=20000";
    try (Results results = new Results(bootstrap, camera)) {
      Process first = spawn(camera + "-1", Map.of(), bootstrap, group, camera + "-w", session);
      results.awaitCount(3, Duration.ofMinutes(2));
      first.destroyForcibly().waitFor();
      long killed = System.nanoTime();
      int before = results.count();
      String id = camera + "-w" + (sameId ? "" : "-b");
      Process second = spawn(camera + "-2", Map.of(), bootstrap, group, id, session);
      try {
        awaitLine(camera + "-2", "started", Duration.ofMinutes(2));
        double start = (System.nanoTime() - killed) / 1e9;
        results.awaitCount(before + 1, Duration.ofMinutes(2));
        double stall = (System.nanoTime() - killed) / 1e9;
        // and exactly once: every frame sent appears once
        results.awaitCount(frames.size(), Duration.ofMinutes(3));
        assertThat(results.ids()).doesNotHaveDuplicates();
        return new double[] {stall, start};
      } finally {
        second.destroy();
        second.waitFor(30, TimeUnit.SECONDS);
        feeder.join();
      }
    }
  }

  @Test
  void shouldExitWithinTheGracePeriodOnSigtermDuringALongBatchAndLoseNothing(
      EmbeddedKafkaBroker kafka) throws Exception {
    // Given: frames whose batch takes far longer than the grace period (15 persons, all sampled)
    String bootstrap = kafka.bootstrapServers();
    String group = "sigterm";
    RecoverFixtures.startAtEnd(bootstrap, group);
    List<Frame> frames = frames("term-a", 61, 6, 3);
    try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
      send(p, Topics.FRAMES, "term-a", frames);
    }
    Process worker =
        spawn(
            "sigterm",
            Map.of(),
            bootstrap,
            group,
            "term-1",
            "mode=STOCHASTIC",
            "samples=8",
            "steps=8",
            "maxBatch=16",
            "maxSampled=16",
            "graceMs=3000");
    // the batch is running: 15 sampled persons take several seconds even on a quiet machine, and
    // waiting for the line (not a fixed time) keeps a loaded machine from signalling too early
    awaitLine("sigterm", "first batch", Duration.ofMinutes(3));
    Thread.sleep(1000);

    // When: SIGTERM
    long t0 = System.nanoTime();
    worker.destroy();
    boolean exited = worker.waitFor(30, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("SIGTERM during a long batch: exited in %.1f s (grace 3 s)%n", seconds);

    // Then: out within the grace period (plus the JVM's exit), with the signal's exit code, and a
    // new owner runs the cancelled batch exactly once
    assertThat(exited).isTrue();
    assertThat(seconds).isLessThan(3 + 3);
    assertThat(worker.exitValue()).isEqualTo(143);
    assertThat(log("sigterm")).contains("cancelled");
    try (RecoverWorker next = new RecoverWorker(config(bootstrap, group, "term-2").build())) {
      next.start();
      List<MeshRecovery> results =
          readCommitted(
              bootstrap,
              Topics.MESHES,
              m -> m.getFrame().getCameraId().equals("term-a"),
              got -> got.size() >= 18,
              Duration.ofMinutes(2));
      assertThat(results.stream().map(RecoverFixtures::id).toList())
          .containsExactlyInAnyOrderElementsOf(expectedIds(frames));
    }
  }

  @Test
  void shouldStartAndStopCleanlyOverRealFramesUnderMallocChecks(EmbeddedKafkaBroker kafka)
      throws Exception {
    // Given: glibc's malloc consistency checks and perturbation (a double free or a write to freed
    // memory aborts the process with SIGABRT, exit 134, instead of corrupting it silently)
    String bootstrap = kafka.bootstrapServers();
    String group = "cycles";
    RecoverFixtures.startAtEnd(bootstrap, group);
    Map<String, String> env = new java.util.HashMap<>();
    env.put("GLIBC_TUNABLES", "glibc.malloc.check=3:glibc.malloc.perturb=165");
    env.put("MALLOC_CHECK_", "3");
    env.put("MALLOC_PERTURB_", "165");
    Path debug = Path.of("/lib/x86_64-linux-gnu/libc_malloc_debug.so.0");
    if (Files.exists(debug)) {
      env.put("LD_PRELOAD", debug.toString()); // glibc >= 2.34 keeps the checks in this library
    }
    List<Frame> all = new ArrayList<>();
    for (int cycle = 0; cycle < 3; cycle++) {
      // When: frames arrive, a worker runs them and stops: twice on its own, once by SIGTERM
      List<Frame> frames = frames("cycle-" + cycle, 70 + cycle, 4, 2);
      all.addAll(frames);
      try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
        send(p, Topics.FRAMES, "cycle-" + cycle, frames);
      }
      String name = "cycle-" + cycle;
      boolean signal = cycle == 1;
      Process w =
          spawn(name, env, bootstrap, group, "cycle-w", signal ? "maxFrames=0" : "maxFrames=4");
      if (signal) {
        awaitLine(name, "assigned", Duration.ofMinutes(2));
        Thread.sleep(1500);
        w.destroy();
      }
      assertThat(w.waitFor(3, TimeUnit.MINUTES)).isTrue();

      // Then: a clean exit every time, and nothing from glibc or the JVM's crash handler
      assertThat(w.exitValue()).as("exit code of %s", name).isEqualTo(signal ? 143 : 0);
      assertThat(log(name))
          .doesNotContain("tcache")
          .doesNotContain("double free")
          .doesNotContain("corrupted")
          .doesNotContain("malloc()")
          .doesNotContain("SIGSEGV")
          .doesNotContain("A fatal error has been detected");
    }
    // and what the stopped workers left is finished by the next start: all exactly once
    try (RecoverWorker last = new RecoverWorker(config(bootstrap, group, "cycle-w").build())) {
      last.start();
      List<String> expected = expectedIds(all);
      List<MeshRecovery> results =
          readCommitted(
              bootstrap,
              Topics.MESHES,
              m -> m.getFrame().getCameraId().startsWith("cycle-"),
              got -> got.size() >= expected.size(),
              Duration.ofMinutes(2));
      assertThat(results.stream().map(RecoverFixtures::id).toList())
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  /** Starts a {@link WorkerProcess} with the test class path; its output goes to a log file. */
  private static Process spawn(String name, Map<String, String> env, String... args)
      throws IOException {
    Files.createDirectories(LOGS);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(WorkerProcess.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(LOGS.resolve(name + ".log").toFile());
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.environment().put("DJL_OFFLINE", "true");
    pb.environment().putAll(env);
    return pb.start();
  }

  private static String log(String name) throws IOException {
    return Files.readString(LOGS.resolve(name + ".log"));
  }

  private static void awaitLine(String name, String text, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!log(name).contains(text)) {
      assertThat(System.nanoTime()).as("%s logged '%s'", name, text).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** A live read_committed view of one camera's results. */
  private static final class Results implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String camera;
    private final List<String> ids = new ArrayList<>();

    Results(String bootstrap, String camera) {
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-live-" + UUID.randomUUID());
      consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      List<TopicPartition> parts =
          consumer.partitionsFor(Topics.MESHES.name()).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      this.camera = camera;
    }

    int count() {
      poll();
      return ids.size();
    }

    List<String> ids() {
      return ids;
    }

    void awaitCount(int n, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (ids.size() < n) {
        assertThat(System.nanoTime()).as("%d results of %s", n, camera).isLessThan(deadline);
        poll();
      }
    }

    private void poll() {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
        MeshRecovery m = Topics.MESHES.decodeValue(r.headers(), r.value());
        if (m.getFrame().getCameraId().equals(camera)) {
          ids.add(RecoverFixtures.id(m));
        }
      }
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
