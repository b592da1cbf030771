package io.megastream.cli;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.ingest.CameraSpec;
import io.megastream.ingest.IngestConfig;
import io.megastream.ingest.IngestResult;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.render.SyntheticScene;
import io.megastream.proto.Frame;
import io.megastream.proto.PersonBox;
import io.megastream.proto.Topics;
import io.megastream.proto.admin.TopicCreator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code megastream demo}: the whole path that exists today, on an embedded broker, in one command.
 * Today: generated clips, ingest with person detection, and a read-back check that every frame
 * arrived once and in order.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the pipeline end to end on an embedded Kafka broker: renders demo clips (synthetic"
          + " people with ground truth), ingests"
          + " them (HOG person boxes, JPEG, idempotent producer), then reads the frames topic back"
          + " and checks every frame arrived exactly once, in order.",
      "Stages that are not built yet (recover, sink, viewer) are listed at the end."
    })
final class DemoCommand implements Callable<Integer> {

  @Option(
      names = "--cameras",
      defaultValue = "2",
      description = "Number of synthetic cameras (default: ${DEFAULT-VALUE}).")
  int cameras;

  @Option(
      names = "--seconds",
      defaultValue = "10",
      description = "Length of each demo clip (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--camera",
      paramLabel = "ID=URL",
      description = "An extra camera of your own (file, rtsp://, /dev/video0). Repeatable.")
  List<String> extraCameras = List.of();

  @Option(
      names = "--detector",
      defaultValue = "hog",
      description = "Person detector (default: ${DEFAULT-VALUE}).")
  String detector;

  @Option(
      names = "--work-dir",
      defaultValue = ".megastream/demo",
      description = "Clips, broker data and outputs (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(names = "--port", defaultValue = "0", description = "Broker port; 0 picks a free one.")
  int port;

  @Option(
      names = "--keep-running",
      description = "Keep the broker up after the demo (until Ctrl-C) to inspect the topics.")
  boolean keepRunning;

  @Override
  public Integer call() throws Exception {
    Path kafkaDir = workDir.resolve("kafka");
    deleteRecursively(kafkaDir); // every demo starts from empty topics
    Files.createDirectories(workDir);
    List<CameraSpec> specs = new ArrayList<>();
    for (int i = 1; i <= cameras; i++) {
      specs.add(new CameraSpec("cam-" + i, demoClip(i).toString()));
    }
    extraCameras.forEach(c -> specs.add(CameraSpec.parse(c)));

    System.out.println("== 1/3 embedded Kafka (Apache Kafka's KRaft broker, in this process)");
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.builder().optPort(port).optDataDir(kafkaDir).build().start()) {
      try (Admin admin = Admin.create(broker.clientProperties())) {
        TopicCreator.builder(admin)
            // a demo should not fill the disk: cap the archive topics
            .optTopicConfig(Topics.FRAMES.name(), "retention.bytes", Long.toString(256L << 20))
            .optTopicConfig(Topics.DEAD_LETTER.name(), "retention.bytes", Long.toString(64L << 20))
            .build()
            .create(Topics.all());
      }
      System.out.println("   broker " + broker.bootstrapServers() + ", topics " + Topics.all());

      System.out.println(
          "== 2/3 ingest " + specs.size() + " camera(s) -> topic '" + Topics.FRAMES.name() + "'");
      IngestConfig.Builder b =
          IngestConfig.builder()
              .setBootstrapServers(broker.bootstrapServers())
              .optDetector(detector)
              .addSourcePlugin("synthetic", SyntheticSceneSource::create);
      specs.forEach(b::addCamera);
      long start = System.nanoTime();
      IngestResult result = IngestRunner.run(b.build(), Duration.ofSeconds(5), System.out);
      int code = IngestRunner.report(result, (System.nanoTime() - start) / 1e9, System.out);
      if (code != ExitCodes.OK) {
        return code;
      }

      System.out.println("== 3/3 read back '" + Topics.FRAMES.name() + "' and check every frame");
      boolean complete = verify(broker, result);

      System.out.println();
      System.out.println(
          "Not built yet: recover (MEGA meshes), sink and viewer - see the README roadmap.");
      System.out.println(
          "Outputs: " + workDir.toAbsolutePath() + " (annotated frames frame-<camera>.png)");
      if (keepRunning) {
        System.out.println("Broker stays up at " + broker.bootstrapServers() + "; Ctrl-C to stop.");
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
        forever.await();
      }
      return complete ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }

  private Path demoClip(int camera) throws IOException {
    Path clip =
        workDir
            .resolveSibling("clips")
            .resolve("scene-cam" + camera + "-640x480-" + seconds + "s.mp4");
    if (!Files.exists(clip) || !Files.exists(SceneClipWriter.labelsFile(clip))) {
      System.out.println("   rendering " + clip + " (synthetic people, with ground truth)");
      SyntheticScene scene =
          SyntheticScene.builder(body())
              .optSize(640, 480)
              .optFps(25)
              .optFrames(seconds * 25)
              .optPersons(1 + (camera + 1) % 3)
              .optSeed(camera)
              .build();
      SceneClipWriter.write(scene, clip, "cam-" + camera);
    }
    return clip;
  }

  private static SkinnedBodyModel body() {
    return SyntheticSceneSource.body();
  }

  /** Reads the frames topic back: every camera's seqs must be 0..n-1, each exactly once. */
  private boolean verify(EmbeddedKafkaBroker broker, IngestResult result) {
    Properties p = broker.clientProperties();
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "megastream-demo-verify");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
    Map<String, List<Long>> seqs = new TreeMap<>();
    Map<String, List<Long>> latencyUs = new HashMap<>();
    Map<String, Frame> sample = new HashMap<>();
    Map<String, Long> persons = new HashMap<>();
    long expected = result.stats().total(c -> c.sent());
    long seen = 0;
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.FRAMES.name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (seen < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          Frame f = Topics.FRAMES.decodeValue(r.headers(), r.value());
          seen++;
          seqs.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(f.getSeq());
          latencyUs
              .computeIfAbsent(r.key(), k -> new ArrayList<>())
              .add(r.timestamp() * 1000 - f.getCaptureTimeUs());
          persons.merge(r.key(), (long) f.getPersonsCount(), Long::sum);
          Frame best = sample.get(r.key());
          if (best == null || f.getPersonsCount() > best.getPersonsCount()) {
            sample.put(r.key(), f);
          }
        }
      }
    }
    boolean ok = true;
    System.out.printf(
        "   %-12s %8s %10s %10s %14s%n",
        "camera", "frames", "in order", "persons", "persons/frame");
    for (Map.Entry<String, List<Long>> e : seqs.entrySet()) {
      List<Long> s = e.getValue();
      boolean contiguous = true;
      for (int i = 0; i < s.size(); i++) {
        contiguous &= s.get(i) == i;
      }
      ok &= contiguous;
      System.out.printf(
          "   %-12s %8d %10s %10d %14.2f%n",
          e.getKey(),
          s.size(),
          contiguous ? "yes" : "NO",
          persons.get(e.getKey()),
          persons.get(e.getKey()) / (double) s.size());
      annotate(sample.get(e.getKey()));
    }
    ok &= seen == expected;
    System.out.printf(
        "   %d of %d frames read back%s%n",
        seen, expected, seen == expected ? ", none lost or duplicated" : " - MISMATCH");
    return ok;
  }

  /** Writes a frame with its person boxes drawn, so a newcomer can see what went to Kafka. */
  private void annotate(Frame f) {
    byte[] jpeg = f.getImage().toByteArray();
    try (BytePointer ptr = new BytePointer(jpeg);
        Mat buf = new Mat(1, jpeg.length, opencv_core.CV_8U, ptr);
        Mat img = opencv_imgcodecs.imdecode(buf, opencv_imgcodecs.IMREAD_COLOR)) {
      for (PersonBox pb : f.getPersonsList()) {
        var r = pb.getBox();
        opencv_imgproc.rectangle(
            img,
            new Point(Math.round(r.getX()), Math.round(r.getY())),
            new Point(Math.round(r.getX() + r.getWidth()), Math.round(r.getY() + r.getHeight())),
            new Scalar(0, 255, 0, 0),
            2,
            opencv_imgproc.LINE_AA,
            0);
        opencv_imgproc.putText(
            img,
            (pb.hasTrackId() ? "track " + pb.getTrackId() : "person")
                + String.format(" %.2f", pb.getScore()),
            new Point(Math.round(r.getX()), Math.max(12, Math.round(r.getY()) - 4)),
            opencv_imgproc.FONT_HERSHEY_SIMPLEX,
            0.45,
            new Scalar(0, 255, 0, 0));
      }
      Path out = workDir.resolve("frame-" + f.getCameraId() + ".png");
      opencv_imgcodecs.imwrite(out.toString(), img);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
