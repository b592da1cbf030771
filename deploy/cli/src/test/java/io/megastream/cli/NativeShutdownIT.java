package io.megastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.proto.Topics;
import io.megastream.proto.admin.TopicCreator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * {@code megastream recover} and {@code megastream decode} as real processes over real frames,
 * started and stopped (SIGTERM) several times under glibc's malloc checks: a double free or a
 * use-after-free of native memory (libtorch, OpenCV) aborts the process with exit 134 instead of
 * corrupting it silently. Each run must exit with 143, the JVM's code for SIGTERM, and print no
 * heap message. Its own broker: the results it makes stay out of the shared one.
 */
class NativeShutdownIT {

  private static final Path LOGS = Path.of("target", "native-shutdown");

  @Test
  void shouldStopRecoverAndDecodeCleanlyOnSigtermRepeatedly() throws Exception {
    Path dir = Path.of("target", "kafka-native-" + UUID.randomUUID());
    if (Files.isDirectory(LOGS)) {
      try (var old = Files.list(LOGS)) {
        old.forEach(f -> f.toFile().delete());
      }
    }
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.builder().optDataDir(dir).build().start()) {
      String bootstrap = broker.bootstrapServers();
      try (Admin admin = Admin.create(broker.clientProperties())) {
        TopicCreator.builder(admin).build().create(Topics.all());
      }
      // Given: rendered frames of three people on frames
      assertThat(
              Main.execute(
                  "ingest",
                  "--bootstrap-server",
                  bootstrap,
                  "--camera",
                  "native=synthetic:persons=3,seed=8,frames=40,size=320x240",
                  "--progress-interval",
                  "0"))
          .isEqualTo(ExitCodes.OK);
      for (int cycle = 0; cycle < 3; cycle++) {
        // When: a worker (sampling every person: long batches) runs and is SIGTERMed mid-batch,
        // then the decode application runs on what it committed and is SIGTERMed too
        Process recover =
            spawn(
                "recover-" + cycle,
                "recover",
                "--bootstrap-server",
                bootstrap,
                "--worker-id",
                "native-w",
                "--mode",
                "stochastic",
                "--samples",
                "4",
                "--steps",
                "4",
                "--metrics-port",
                "-1",
                "--shutdown-grace-ms",
                "5000");
        awaitLine("recover-" + cycle, "assigned", Duration.ofMinutes(2));
        Thread.sleep(4000);
        stop(recover, "recover-" + cycle);
        Process decode =
            spawn(
                "decode-" + cycle,
                "decode",
                "--bootstrap-server",
                bootstrap,
                "--application-id",
                "native-decode");
        awaitLine("decode-" + cycle, "running", Duration.ofMinutes(2));
        Thread.sleep(3000);
        stop(decode, "decode-" + cycle);
      }
    } finally {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** SIGTERM; then: exit 143 within 30 s, and nothing from glibc or the JVM's crash handler. */
  private static void stop(Process p, String name) throws Exception {
    p.destroy();
    boolean exited = p.waitFor(10, TimeUnit.SECONDS);
    if (!exited) {
      // what it is stuck in, for the report
      new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
              Long.toString(p.pid()),
              "Thread.print")
          .redirectErrorStream(true)
          .redirectOutput(LOGS.resolve(name + ".threads").toAbsolutePath().toFile())
          .start()
          .waitFor(10, TimeUnit.SECONDS);
      exited = p.waitFor(20, TimeUnit.SECONDS);
    }
    assertThat(exited).as("%s exited; threads in %s.threads", name, name).isTrue();
    String log = Files.readString(LOGS.resolve(name + ".log"));
    assertThat(p.exitValue()).as("exit code of %s:%n%s", name, tail(log)).isEqualTo(143);
    assertThat(log)
        .doesNotContain("tcache")
        .doesNotContain("double free")
        .doesNotContain("free(): ")
        .doesNotContain("corrupted")
        .doesNotContain("malloc(): ")
        .doesNotContain("A fatal error has been detected");
  }

  private static Process spawn(String name, String... args) throws Exception {
    Files.createDirectories(LOGS);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(Path.of("..", "..").toFile()) // the bundled models/ resolve from the root
            .redirectErrorStream(true)
            .redirectOutput(LOGS.resolve(name + ".log").toAbsolutePath().toFile());
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.environment().put("DJL_OFFLINE", "true");
    pb.environment().put("GLIBC_TUNABLES", "glibc.malloc.check=3:glibc.malloc.perturb=165");
    pb.environment().put("MALLOC_CHECK_", "3");
    pb.environment().put("MALLOC_PERTURB_", "165");
    Path debug = Path.of("/lib/x86_64-linux-gnu/libc_malloc_debug.so.0");
    if (Files.exists(debug)) {
      pb.environment().put("LD_PRELOAD", debug.toString()); // glibc >= 2.34 keeps the checks here
    }
    return pb.start();
  }

  private static void awaitLine(String name, String text, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Path log = LOGS.resolve(name + ".log");
    while (!Files.exists(log) || !Files.readString(log).contains(text)) {
      assertThat(System.nanoTime()).as("%s logged '%s'", name, text).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static String tail(String log) {
    return log.length() > 3000 ? log.substring(log.length() - 3000) : log;
  }
}
