package io.megastream.loadtest;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.inference.PersonRecoverer;
import io.megastream.mega.tokenizer.TokenizerModel;
import io.megastream.proto.Box;
import io.megastream.proto.Frame;
import io.megastream.proto.FrameRef;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.RecoveryMode;
import io.megastream.proto.RecoveryStatus;
import io.megastream.proto.StochasticSamples;
import io.megastream.proto.TokenSequence;
import io.megastream.proto.Topics;
import io.megastream.proto.admin.TopicCreator;
import io.megastream.recover.RecoverConfig;
import io.megastream.recover.RecoverWorker;
import io.megastream.sink.decode.DecodeApp;
import io.megastream.sink.decode.MeshDecoder;
import io.megastream.sink.view.HeadlessChromium;
import io.megastream.sink.view.Viewer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The consumer side's numbers. (1) Decode throughput: the {@link MeshDecoder} library at batch 1
 * and 16, and the decode application (Kafka Streams, exactly once) draining a backlog of results
 * from {@code meshes} to {@code meshes-decoded}, 10 % of them stochastic (joined with their
 * samples). (2) End-to-end delay from frame capture to the browser's draw: rendered frames at a
 * steady rate → recover worker (bundled MEGA) → decode application → viewer → Debian's headless
 * chromium, all on this machine; the page's own capture → draw delays, split at the viewer's send.
 */
public final class SinkBench {

  private SinkBench() {}

  public static void main(String[] args) throws Exception {
    int backlog = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    double fps = args.length > 2 ? Double.parseDouble(args[2]) : 1.0;
    Path root = Path.of(args.length > 3 ? args[3] : "..");
    int decodeThreads = args.length > 4 ? Integer.parseInt(args[4]) : 1;
    Path tokenizerDir = root.resolve("models").resolve("tokenizer");
    System.out.println("(1) decode throughput");
    library(tokenizerDir);
    try (Cluster c = new Cluster()) {
      List<MeshRecovery> results = results(backlog);
      produceResults(c.broker, results);
      Map<String, Object> props = new java.util.HashMap<>(c.kafka);
      props.put("num.stream.threads", decodeThreads);
      try (DecodeApp app = new DecodeApp(props, "bench-decode", tokenizerDir)) {
        long t0 = System.nanoTime();
        app.start();
        long[] arrivals = awaitDecoded(c.broker, results.size());
        double first = (arrivals[0] - t0) / 1e9;
        double drain = (arrivals[arrivals.length - 1] - arrivals[0]) / 1e9;
        System.out.printf(
            "  decode application, %d stream thread(s): %d results (%d stochastic, joined with"
                + " samples) in %.1f s after the first (first after %.1f s): %.1f meshes/s%n",
            decodeThreads,
            results.size(),
            results.stream()
                .filter(r -> r.getMode() == RecoveryMode.RECOVERY_MODE_STOCHASTIC)
                .count(),
            drain,
            first,
            (arrivals.length - 1) / drain);
      }
    }

    System.out.printf(
        "%n(2) capture -> browser draw: 1 camera, 2 persons, %.1f fps for %d s, adaptive mode%n",
        fps, seconds);
    try (Cluster c = new Cluster()) { // a fresh broker: nothing from (1) on the topics
      if (seconds > 0) {
        delay(c.broker, c.kafka, root, tokenizerDir, fps, seconds);
      }
    }
  }

  /** An embedded broker with the registry's topics, in a temporary directory. */
  private static final class Cluster implements AutoCloseable {
    final EmbeddedKafkaBroker broker;
    final Map<String, Object> kafka;

    Cluster() throws Exception {
      Path data = Files.createTempDirectory("sink-bench");
      broker = EmbeddedKafkaBroker.builder().optDataDir(data).build().start();
      try (Admin admin = Admin.create(broker.clientProperties())) {
        TopicCreator.builder(admin).build().create(Topics.all());
      }
      kafka =
          Map.of(
              "bootstrap.servers",
              broker.bootstrapServers(),
              "state.dir",
              data.resolve("streams").toString());
    }

    @Override
    public void close() {
      broker.close();
    }
  }

  /** The decoder alone, in this thread: meshes/s at batch 1 and 16. */
  private static void library(Path tokenizerDir) throws Exception {
    try (TokenizerModel tokenizer = TokenizerModel.load(tokenizerDir, ProceduralBody.build())) {
      MeshDecoder decoder = new MeshDecoder(tokenizer);
      List<MeshRecovery> rs = results(160);
      for (int batch : new int[] {1, 16}) {
        decoder.decode(rs.subList(0, batch), Map.of()); // warm-up
        long t0 = System.nanoTime();
        for (int i = 0; i + batch <= rs.size(); i += batch) {
          decoder.decode(rs.subList(i, i + batch), Map.of());
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
            "  MeshDecoder, batch %2d: %.1f meshes/s (%.1f ms per mesh)%n",
            batch, rs.size() / s, 1000 * s / rs.size());
      }
    }
  }

  private static List<MeshRecovery> results(int n) {
    Random rnd = new Random(5);
    List<MeshRecovery> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      MeshRecovery.Builder m =
          MeshRecovery.newBuilder()
              .setSchemaVersion(1)
              .setFrame(
                  FrameRef.newBuilder()
                      .setCameraId("bench-" + (i % 4))
                      .setSeq(i / 4)
                      .setCaptureTimeUs(System.currentTimeMillis() * 1000))
              .setStatus(RecoveryStatus.RECOVERY_STATUS_OK)
              .setPersonIndex(0)
              .setBox(Box.newBuilder().setX(100).setY(80).setWidth(90).setHeight(260))
              .setMode(
                  i % 10 == 0
                      ? RecoveryMode.RECOVERY_MODE_STOCHASTIC
                      : RecoveryMode.RECOVERY_MODE_DETERMINISTIC)
              .setModelVersion("bench")
              .addAllRotation6D(List.of(1f, 0f, 0f, 0f, -1f, 0f))
              .addAllCamera(List.of(0.8f, 0f, 0f));
      for (int t = 0; t < 54; t++) {
        m.addTokens(rnd.nextInt(512));
      }
      out.add(m.build());
    }
    return out;
  }

  private static void produceResults(EmbeddedKafkaBroker broker, List<MeshRecovery> results)
      throws Exception {
    int vertices = ProceduralBody.build().vertexCount();
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            broker.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (MeshRecovery r : results) {
        p.send(Topics.MESHES.record(r.getFrame().getCameraId(), r));
        if (r.getMode() == RecoveryMode.RECOVERY_MODE_STOCHASTIC) {
          StochasticSamples.Builder s =
              StochasticSamples.newBuilder()
                  .setSchemaVersion(1)
                  .setFrame(r.getFrame())
                  .setPersonIndex(0)
                  .setNumSamples(8)
                  .setModelVersion("bench");
          for (int q = 0; q < 8; q++) {
            s.addSamples(TokenSequence.newBuilder().addAllTokens(r.getTokensList()));
          }
          for (int v = 0; v < vertices; v++) {
            s.addVertexSdMm(20f);
          }
          p.send(Topics.SAMPLES.record(r.getFrame().getCameraId(), s.build()));
        }
      }
      p.flush();
    }
  }

  /** Wall-clock arrival (nanoTime) of each decoded result, read_committed. */
  private static long[] awaitDecoded(EmbeddedKafkaBroker broker, int n) {
    Properties c = broker.clientProperties();
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + UUID.randomUUID());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
    long[] at = new long[n];
    int got = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.DECODED.name()));
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (got < n && System.nanoTime() < deadline) {
        int polled = consumer.poll(Duration.ofMillis(100)).count();
        long now = System.nanoTime();
        for (int i = 0; i < polled && got < n; i++) {
          at[got++] = now;
        }
      }
    }
    return Arrays.copyOf(at, Math.max(got, 1));
  }

  private static void delay(
      EmbeddedKafkaBroker broker,
      Map<String, Object> kafka,
      Path root,
      Path tokenizerDir,
      double fps,
      int seconds)
      throws Exception {
    RecoverConfig config =
        RecoverConfig.builder(broker.bootstrapServers())
            .optGroupId("bench-view")
            .optWorkerId("bench-view")
            .optMode(PersonRecoverer.Mode.ADAPTIVE)
            .optModelDir(root.resolve("models").resolve("mega"))
            .optTokenizerDir(tokenizerDir)
            .optMaxWait(Duration.ofMillis(50))
            .optKafka(Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"))
            .build();
    List<Frame> rendered = RecoverBench.render("view", 11, Math.max(4, (int) (fps * seconds)));
    try (RecoverWorker worker = new RecoverWorker(config);
        DecodeApp decode = new DecodeApp(kafka, "bench-view-decode", tokenizerDir);
        Viewer viewer =
            new Viewer(kafka, Viewer.Options.defaults().withPort(0).withTokenizer(tokenizerDir))
                .start()) {
      worker.start();
      decode.start();
      viewer.feed().awaitReady(Duration.ofSeconds(60));
      while (!worker.isAssigned()) {
        Thread.sleep(100);
      }
      Thread.sleep(3000); // the decode application joins its group
      ChromeDriver browser = HeadlessChromium.start(1040, 720);
      try {
        browser.get(viewer.url());
        Thread.sleep(2000);
        RecoverBench.send(broker, rendered, (long) (1000 / fps));
        Thread.sleep(5000); // the last results on their way
        JavascriptExecutor js = browser;
        @SuppressWarnings("unchecked")
        List<Number> page = (List<Number>) js.executeScript("return window.megastream.delaysMs");
        double[] d = page.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        System.out.printf(
            "  %d frames sent, %d results decoded, %d frames drawn in the browser; %d events"
                + " dropped%n",
            rendered.size(), viewer.feed().meshes(), d.length, viewer.clients().dropped());
        System.out.printf(
            "  capture -> browser draw: p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms%n",
            q(d, 0.5), q(d, 0.9), q(d, 0.99), q(d, 1.0));
        @SuppressWarnings("unchecked")
        List<Number> sendDelays =
            (List<Number>) js.executeScript("return window.megastream.sentDelaysMs");
        double[] s = sendDelays.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        System.out.printf(
            "  of which capture -> viewer send (worker + decode + Kafka): p50 %.0f ms, p99 %.0f ms;"
                + " send -> draw p50 %.0f ms%n",
            q(s, 0.5), q(s, 0.99), q(d, 0.5) - q(s, 0.5));
        Path shot = root.resolve("loadtest").resolve("target").resolve("viewer-live.png");
        Files.createDirectories(shot.getParent());
        Files.copy(
            browser.getScreenshotAs(OutputType.FILE).toPath(),
            shot,
            StandardCopyOption.REPLACE_EXISTING);
        System.out.println("  screenshot: " + shot.toAbsolutePath());
      } finally {
        browser.quit();
      }
    }
  }

  private static double q(double[] s, double q) {
    return s.length == 0 ? Double.NaN : s[(int) Math.round(q * (s.length - 1))];
  }
}
