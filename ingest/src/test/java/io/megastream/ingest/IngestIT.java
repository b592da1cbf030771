package io.megastream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.broker.testing.SharedKafka;
import io.megastream.ingest.clip.SyntheticClip;
import io.megastream.proto.DeadLetter;
import io.megastream.proto.DeadLetterReason;
import io.megastream.proto.Frame;
import io.megastream.proto.Topic;
import io.megastream.proto.Topics;
import io.megastream.proto.admin.TopicCreator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SharedKafka.class)
class IngestIT {

  @TempDir static Path dir;
  static Path clip;

  @BeforeAll
  static void makeClip() throws Exception {
    clip = dir.resolve("walkers.mp4");
    SyntheticClip.builder().optSize(640, 480).optFrames(40).optPersons(2).build().write(clip);
  }

  @Test
  void shouldPublishEveryFrameOfAClipWithContiguousSeqsAndDecodableJpegs(EmbeddedKafkaBroker kafka)
      throws Exception {
    // Given
    String camera = "cam-" + UUID.randomUUID();
    IngestConfig config =
        IngestConfig.builder()
            .setBootstrapServers(kafka.bootstrapServers())
            .addCamera(new CameraSpec(camera, clip.toString()))
            .optDetector("full-frame")
            .build();

    // When
    IngestResult result = run(config);

    // Then
    assertThat(result.outcome()).isEqualTo(IngestResult.Outcome.COMPLETED);
    List<Frame> frames = consume(kafka, Topics.FRAMES, camera, 40, f -> true);
    assertThat(frames).hasSize(40);
    assertThat(frames).extracting(Frame::getSeq).containsExactlyElementsOf(range(40));
    assertThat(frames)
        .extracting(Frame::getIngestRunId)
        .containsOnly(frames.get(0).getIngestRunId());
    for (int i = 1; i < frames.size(); i++) {
      assertThat(frames.get(i).getCaptureTimeUs())
          .isGreaterThan(frames.get(i - 1).getCaptureTimeUs());
    }
    Frame first = frames.get(0);
    assertThat(first.getPersonsCount()).isEqualTo(1);
    try (Mat decoded = decode(first)) {
      assertThat(decoded.cols()).isEqualTo(640);
      assertThat(decoded.rows()).isEqualTo(480);
    }
    assertThat(result.stats().camera(camera).sent()).isEqualTo(40);
    assertThat(result.stats().camera(camera).inFlight()).isZero();
  }

  @Test
  void shouldDownscaleToTheMaximumSide(EmbeddedKafkaBroker kafka) throws Exception {
    // Given
    String camera = "small-" + UUID.randomUUID();
    IngestConfig config =
        IngestConfig.builder()
            .setBootstrapServers(kafka.bootstrapServers())
            .addCamera(new CameraSpec(camera, clip.toString()))
            .optMaxSide(320)
            .optMaxFramesPerCamera(5)
            .optDetector("hog")
            .build();

    // When
    IngestResult result = run(config);

    // Then
    assertThat(result.outcome()).isEqualTo(IngestResult.Outcome.COMPLETED);
    List<Frame> frames = consume(kafka, Topics.FRAMES, camera, 5, f -> true);
    assertThat(frames).hasSize(5);
    assertThat(frames).allSatisfy(f -> assertThat(f.getWidth()).isEqualTo(320));
    assertThat(frames).allSatisfy(f -> assertThat(f.getHeight()).isEqualTo(240));
    assertThat(frames).allSatisfy(f -> assertThat(f.getSourceWidth()).isEqualTo(640));
    assertThat(frames).allSatisfy(f -> assertThat(f.getDetector()).isEqualTo("hog"));
    try (Mat decoded = decode(frames.get(0))) {
      assertThat(decoded.cols()).isEqualTo(320);
    }
  }

  @Test
  void shouldLoopAFileUntilTheFrameLimit(EmbeddedKafkaBroker kafka) throws Exception {
    // Given
    String camera = "loop-" + UUID.randomUUID();
    IngestConfig config =
        IngestConfig.builder()
            .setBootstrapServers(kafka.bootstrapServers())
            .addCamera(new CameraSpec(camera, clip.toString()))
            .optDetector("full-frame")
            .optLoop(true)
            .optMaxFramesPerCamera(100)
            .build();

    // When
    IngestResult result = run(config);

    // Then
    assertThat(result.outcome()).isEqualTo(IngestResult.Outcome.COMPLETED);
    List<Frame> frames = consume(kafka, Topics.FRAMES, camera, 100, f -> true);
    assertThat(frames).extracting(Frame::getSeq).containsExactlyElementsOf(range(100));
    for (int i = 1; i < frames.size(); i++) {
      assertThat(frames.get(i).getStreamTimeUs())
          .as("stream time keeps increasing across loops")
          .isGreaterThan(frames.get(i - 1).getStreamTimeUs());
    }
  }

  @Test
  void shouldReportAMissingFileAsSourceUnavailable(EmbeddedKafkaBroker kafka) throws Exception {
    // Given
    Path missing = dir.resolve("no-such-clip.mp4");
    IngestConfig config =
        IngestConfig.builder()
            .setBootstrapServers(kafka.bootstrapServers())
            .addCamera(new CameraSpec("missing", missing.toString()))
            .build();

    // When
    IngestResult result = run(config);

    // Then
    assertThat(result.outcome()).isEqualTo(IngestResult.Outcome.SOURCE_UNAVAILABLE);
    assertThat(result.message()).contains("missing").contains("no-such-clip.mp4");
  }

  @Test
  void shouldReportAFileThatIsNotVideoAsSourceUnavailable(EmbeddedKafkaBroker kafka)
      throws Exception {
    // Given
    Path garbage = dir.resolve("garbage.mp4");
    Files.write(garbage, "this is not a video".repeat(100).getBytes());
    IngestConfig config =
        IngestConfig.builder()
            .setBootstrapServers(kafka.bootstrapServers())
            .addCamera(new CameraSpec("garbage", garbage.toString()))
            .build();

    // When
    IngestResult result = run(config);

    // Then
    assertThat(result.outcome()).isEqualTo(IngestResult.Outcome.SOURCE_UNAVAILABLE);
    assertThat(result.message()).contains("garbage").contains("cannot open");
  }

  @Test
  void shouldGiveUpOnAnUnreachableStreamAfterTheConfiguredRetries(EmbeddedKafkaBroker kafka)
      throws Exception {
    // Given: a loopback port nobody listens on
    IngestConfig config =
        IngestConfig.builder()
            .setBootstrapServers(kafka.bootstrapServers())
            .addCamera(new CameraSpec("door", "http://127.0.0.1:9/stream.mjpg"))
            .optReconnect(2, Duration.ofMillis(50))
            .optNetworkTimeout(Duration.ofSeconds(2))
            .build();

    // When
    IngestResult result = run(config);

    // Then
    assertThat(result.outcome()).isEqualTo(IngestResult.Outcome.SOURCE_UNAVAILABLE);
    assertThat(result.message()).contains("door").contains("http://127.0.0.1:9/stream.mjpg");
  }

  @Test
  void shouldRejectOversizeFramesAndDeadLetterThemNamingTheSettings(EmbeddedKafkaBroker kafka)
      throws Exception {
    // Given: a limit far below a 640x480 JPEG at quality 100
    String camera = "big-" + UUID.randomUUID();
    IngestConfig config =
        IngestConfig.builder()
            .setBootstrapServers(kafka.bootstrapServers())
            .addCamera(new CameraSpec(camera, clip.toString()))
            .optDetector("full-frame")
            .optJpegQuality(100)
            .optMaxFrameBytes(20_000)
            .optMaxFramesPerCamera(3)
            .build();

    // When
    IngestResult result = run(config);

    // Then
    assertThat(result.outcome()).isEqualTo(IngestResult.Outcome.COMPLETED);
    assertThat(result.stats().camera(camera).oversize()).isEqualTo(3);
    assertThat(result.stats().camera(camera).sent()).isZero();
    List<DeadLetter> letters =
        consume(kafka, Topics.DEAD_LETTER, null, 3, d -> d.getCameraId().equals(camera));
    assertThat(letters).hasSize(3);
    assertThat(letters)
        .allSatisfy(
            d -> {
              assertThat(d.getReason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_OVERSIZE);
              assertThat(d.getStage()).isEqualTo("ingest");
              assertThat(d.getDetail()).contains("max.request.size").contains("max.message.bytes");
            });
  }

  @Test
  void shouldExitWithDeliveryFailedWhenTheBrokerGoesAway(@TempDir Path kafkaDir) throws Exception {
    // Given: a broker of our own, which we stop while a looping camera is sending
    EmbeddedKafkaBroker own = EmbeddedKafkaBroker.builder().optDataDir(kafkaDir).build().start();
    try (Admin admin = Admin.create(own.clientProperties())) {
      TopicCreator.builder(admin).build().create(Topics.all());
    }
    Properties quick = new Properties();
    quick.put("delivery.timeout.ms", "4000");
    quick.put("request.timeout.ms", "1000");
    quick.put("max.block.ms", "2000");
    quick.put("linger.ms", "0");
    IngestConfig config =
        IngestConfig.builder()
            .setBootstrapServers(own.bootstrapServers())
            .optKafkaProperties(toMap(quick))
            .addCamera(new CameraSpec("lost", clip.toString()))
            .optDetector("full-frame")
            .optLoop(true)
            .optPace(IngestConfig.Pace.NATIVE)
            .optOnFull(IngestConfig.OnFull.BLOCK)
            .build();
    IngestResult result;
    try (Ingest ingest = new Ingest(config)) {
      ingest.start();
      while (ingest.stats().camera("lost").sent() < 5) {
        Thread.sleep(20);
      }

      // When
      own.close();
      result = ingest.awaitCompletion(Duration.ofSeconds(60));
    }

    // Then
    assertThat(result).isNotNull();
    assertThat(result.outcome()).isEqualTo(IngestResult.Outcome.DELIVERY_FAILED);
    assertThat(result.ok()).isFalse();
    assertThat(result.stats().camera("lost").failed()).isPositive();
    assertThat(result.stats().camera("lost").inFlight())
        .as("every frame read is sent or counted as failed")
        .isZero();
  }

  @Test
  void shouldReadAnHttpStreamAndReconnectWhenItEnds(EmbeddedKafkaBroker kafka) throws Exception {
    // Given: a 25-frame MPEG-TS clip served over HTTP on loopback; each request streams it once,
    // so reading 60 frames needs the source to reconnect twice
    Path ts = dir.resolve("live.ts");
    SyntheticClip.builder().optSize(320, 240).optFrames(25).optPersons(1).build().write(ts);
    byte[] body = Files.readAllBytes(ts);
    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    java.util.concurrent.atomic.AtomicInteger requests =
        new java.util.concurrent.atomic.AtomicInteger();
    server.createContext(
        "/live.ts",
        exchange -> {
          requests.incrementAndGet();
          exchange.getResponseHeaders().add("Content-Type", "video/mp2t");
          exchange.sendResponseHeaders(200, body.length);
          try (var out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    String camera = "http-" + UUID.randomUUID();
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/live.ts";
    IngestConfig config =
        IngestConfig.builder()
            .setBootstrapServers(kafka.bootstrapServers())
            .addCamera(new CameraSpec(camera, url))
            .optDetector("full-frame")
            .optMaxFramesPerCamera(60)
            .optReconnect(5, Duration.ofMillis(50))
            .build();

    // When
    IngestResult result;
    try {
      result = run(config);
    } finally {
      server.stop(0);
    }

    // Then
    assertThat(result.outcome()).isEqualTo(IngestResult.Outcome.COMPLETED);
    assertThat(requests.get()).isGreaterThanOrEqualTo(3);
    assertThat(result.stats().camera(camera).reconnects()).isGreaterThanOrEqualTo(2);
    List<Frame> frames = consume(kafka, Topics.FRAMES, camera, 60, f -> true);
    assertThat(frames).extracting(Frame::getSeq).containsExactlyElementsOf(range(60));
    assertThat(frames).allSatisfy(f -> assertThat(f.getSource()).isEqualTo(url));
  }

  static IngestResult run(IngestConfig config) throws InterruptedException {
    try (Ingest ingest = new Ingest(config)) {
      ingest.start();
      IngestResult result = ingest.awaitCompletion(Duration.ofSeconds(120));
      assertThat(result).as("ingest finished within 120 s").isNotNull();
      return result;
    }
  }

  static List<Long> range(int n) {
    List<Long> out = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }

  static Mat decode(Frame f) {
    byte[] bytes = f.getImage().toByteArray();
    try (BytePointer p = new BytePointer(bytes);
        Mat buf = new Mat(1, bytes.length, org.bytedeco.opencv.global.opencv_core.CV_8U, p)) {
      return opencv_imgcodecs.imdecode(buf, opencv_imgcodecs.IMREAD_COLOR);
    }
  }

  static java.util.Map<String, Object> toMap(Properties p) {
    java.util.Map<String, Object> m = new java.util.HashMap<>();
    p.forEach((k, v) -> m.put(k.toString(), v));
    return m;
  }

  /** Reads records of one key (or any key when null) until {@code expected} match or 30 s pass. */
  static <V> List<V> consume(
      EmbeddedKafkaBroker kafka, Topic<?, V> topic, String key, int expected, Predicate<V> filter) {
    Properties p = kafka.clientProperties();
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<V> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            p,
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic.name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (key != null && (r.key() == null || !key.equals(new String(r.key())))) {
            continue;
          }
          V v = topic.decodeValue(r.headers(), r.value());
          if (filter.test(v)) {
            out.add(v);
          }
        }
      }
      // a little longer, to catch duplicates beyond the expected count
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
        if (key == null || (r.key() != null && key.equals(new String(r.key())))) {
          V v = topic.decodeValue(r.headers(), r.value());
          if (filter.test(v)) {
            out.add(v);
          }
        }
      }
    }
    return out;
  }
}
