package io.megastream.cli;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.ingest.CameraSpec;
import io.megastream.ingest.IngestConfig;
import io.megastream.ingest.IngestResult;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.model.MegaGenerator;
import io.megastream.mega.render.SyntheticScene;
import io.megastream.proto.Frame;
import io.megastream.proto.PersonBox;
import io.megastream.proto.Topics;
import io.megastream.proto.admin.TopicCreator;
import io.megastream.proto.security.StageAcls;
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
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code megastream demo}: the whole path on an embedded broker, in one command: generated clips
 * (and any camera given), ingest with person detection, a read-back check that every frame arrived
 * once and in order, the recover worker with the bundled model on every person of every frame, and
 * a per-camera summary of the results with pictures of recovered meshes.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the pipeline end to end on an embedded Kafka broker: renders demo clips (synthetic"
          + " people with ground truth), ingests them (HOG person boxes, JPEG, idempotent"
          + " producer), reads the frames topic back and checks every frame arrived exactly once,"
          + " in order, then runs a recover worker (bundled MEGA model, adaptive mode, Kafka"
          + " transactions) over the stream and summarises the meshes and samples topics per"
          + " camera.",
      "Decoded meshes go on to 'meshes-decoded' (the decode application) and to the live viewer,"
          + " whose address is printed; when the run is over the viewer replays it at capture pace"
          + " until Ctrl-C (--view-seconds, --no-view)."
    })
final class DemoCommand implements Callable<Integer> {

  @Option(
      names = "--cameras",
      defaultValue = "2",
      description = "Number of synthetic cameras (default: ${DEFAULT-VALUE}).")
  int cameras;

  @Option(
      names = "--seconds",
      defaultValue = "4",
      description = "Length of each demo clip, seconds at 25 fps (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--camera",
      paramLabel = "ID=URL",
      description = "An extra camera of your own (file, rtsp://, /dev/video0). Repeatable.")
  List<String> extraCameras = List.of();

  @Option(
      names = "--max-frames",
      defaultValue = "0",
      description = "Stop each camera after this many frames; 0 = whole clips (default).")
  long maxFrames;

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

  @Option(
      names = "--model",
      defaultValue = "models/mega",
      description = "MEGA model of the recover worker (default: ${DEFAULT-VALUE}).")
  Path model;

  @Option(names = "--tokenizer", defaultValue = "models/tokenizer")
  Path tokenizer;

  @Option(
      names = "--samples",
      defaultValue = "8",
      description = "Q of the stochastic mode (default: ${DEFAULT-VALUE}).")
  int samplesQ;

  @Option(
      names = "--steps",
      defaultValue = "8",
      description = "T of the stochastic mode (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--port", defaultValue = "0", description = "Broker port; 0 picks a free one.")
  int port;

  @Option(
      names = "--view-port",
      defaultValue = "8090",
      description =
          "Port of the live viewer; 0 or a busy port picks a free one (default: ${DEFAULT-VALUE}).")
  int viewPort;

  @Option(
      names = "--view-seconds",
      defaultValue = "0",
      description =
          "How long the viewer replays the run after the demo; 0 = until Ctrl-C (default).")
  int viewSeconds;

  @Option(names = "--no-view", description = "No decode application, no viewer.")
  boolean noView;

  @Option(
      names = "--keep-running",
      description = "Keep the broker up after the demo (until Ctrl-C) to inspect the topics.")
  boolean keepRunning;

  @Option(
      names = "--secure",
      description =
          "Run the broker secure (SASL_SSL with SCRAM-SHA-512, ACLs enforced) and every stage as"
              + " a user of its own with only its rights (see megastream acls).")
  boolean secure;

  private StageUsers users;
  private String bootstrap;

  /** The client properties a stage runs with: its own principal's when --secure. */
  private Map<String, Object> kafka(StageAcls.Stage stage) {
    return users != null ? users.properties(stage) : Map.of("bootstrap.servers", bootstrap);
  }

  @Override
  public Integer call() throws Exception {
    Path kafkaDir = workDir.resolve("kafka");
    deleteRecursively(kafkaDir); // every demo starts from empty topics
    deleteRecursively(workDir.resolve("streams")); // and the decode application's state with them
    Files.createDirectories(workDir);
    List<CameraSpec> specs = new ArrayList<>();
    for (int i = 1; i <= cameras; i++) {
      specs.add(new CameraSpec("cam-" + i, demoClip(i).toString()));
    }
    extraCameras.forEach(c -> specs.add(CameraSpec.parse(c)));

    boolean complete;
    System.out.println("== 1/5 embedded Kafka (Apache Kafka's KRaft broker, in this process)");
    try (UntilStopped until = new UntilStopped("demo");
        EmbeddedKafkaBroker broker =
            EmbeddedKafkaBroker.builder()
                .optPort(port)
                .optDataDir(kafkaDir)
                .optSecure(secure)
                .build()
                .start()) {
      bootstrap = broker.bootstrapServers();
      try (Admin admin = Admin.create(broker.clientProperties())) {
        TopicCreator.builder(admin)
            // a demo should not fill the disk: cap the archive topics
            .optTopicConfig(Topics.FRAMES.name(), "retention.bytes", Long.toString(256L << 20))
            .optTopicConfig(Topics.DEAD_LETTER.name(), "retention.bytes", Long.toString(64L << 20))
            .build()
            .create(Topics.all());
      }
      System.out.println("   broker " + broker.bootstrapServers() + ", topics " + Topics.all());
      if (secure) {
        users =
            StageUsers.create(
                broker,
                Map.of(
                    StageAcls.Stage.RECOVER,
                    DEMO_GROUP,
                    StageAcls.Stage.DECODE,
                    DemoViewer.DECODE_APPLICATION_ID));
        System.out.println(
            "   secure: SASL_SSL (SCRAM-SHA-512) with ACLs; each stage logs in as a user of its own"
                + " (ingest, recover, decode, viewer) with only its rights; the demo's checks read"
                + " as the admin. Client properties: "
                + users.file(StageAcls.Stage.INGEST).getParent());
      }

      System.out.println(
          "== 2/5 recover worker ("
              + model
              + ", adaptive mode) on '"
              + Topics.FRAMES.name()
              + "' -> '"
              + Topics.MESHES.name()
              + "' / '"
              + Topics.SAMPLES.name()
              + "', in Kafka transactions");
      long workerStart = System.nanoTime();
      boolean recovered;
      io.megastream.recover.RecoverWorker started;
      try {
        started = DemoResults.start(config(broker), System.out);
      } catch (io.megastream.recover.model.ModelLoadException e) {
        System.err.println("megastream demo: " + e.getMessage());
        return ExitCodes.SOURCE_UNAVAILABLE;
      }
      DemoViewer viewer =
          noView
              ? null
              : DemoViewer.start(
                  kafka(StageAcls.Stage.DECODE),
                  kafka(StageAcls.Stage.VIEWER),
                  tokenizer,
                  model,
                  workDir,
                  viewPort);
      try {
        try (io.megastream.recover.RecoverWorker worker = started) {
          System.out.println(
              "== 3/5 ingest "
                  + specs.size()
                  + " camera(s) -> topic '"
                  + Topics.FRAMES.name()
                  + "'");
          IngestConfig.Builder b =
              IngestConfig.builder()
                  .setBootstrapServers(broker.bootstrapServers())
                  .optKafkaProperties(kafka(StageAcls.Stage.INGEST))
                  .optDetector(detector)
                  .optMaxFramesPerCamera(maxFrames)
                  .addSourcePlugin("synthetic", SyntheticSceneSource::create);
          specs.forEach(b::addCamera);
          long start = System.nanoTime();
          IngestResult result = IngestRunner.run(b.build(), Duration.ofSeconds(5), System.out);
          int code = IngestRunner.report(result, (System.nanoTime() - start) / 1e9, System.out);
          if (code != ExitCodes.OK) {
            return code;
          }

          System.out.println(
              "== 4/5 read back '" + Topics.FRAMES.name() + "' and check every frame");
          complete = verify(broker, result);
          long frames = result.stats().total(c -> c.sent());

          System.out.println(
              "== 5/5 the worker accounts for every frame: one result per person (or one 'no"
                  + " person') per frame");
          recovered = DemoResults.await(worker, frames, workerStart, System.out);
          if (viewer != null) {
            recovered &= viewer.awaitDecoded(worker.stats().persons(), System.out);
          }
        }
        System.out.println(
            "   results read back read_committed from '"
                + Topics.MESHES.name()
                + "' and '"
                + Topics.SAMPLES.name()
                + "':");
        recovered &= DemoResults.summarise(broker, samples, body(), tokenizer, workDir, System.out);

        System.out.println();
        System.out.println(
            "Decoded meshes for other consumers: topic '"
                + Topics.DECODED.name()
                + "' (megastream decode); as files: megastream export, megastream overlay.");
        System.out.println(
            "Outputs: "
                + workDir.toAbsolutePath()
                + " (annotated frames frame-<camera>.png, recovered meshes mesh-<camera>.png); the"
                + " topics are in "
                + kafkaDir.toAbsolutePath()
                + (keepRunning ? "" : " (--keep-running keeps the broker up to inspect them)"));
        complete &= recovered;
        if (viewer != null) {
          viewer.replay(viewSeconds, until, System.out);
        } else if (keepRunning) {
          System.out.println(
              "Broker stays up at " + broker.bootstrapServers() + "; Ctrl-C to stop.");
          until.await(0);
        }
        return complete ? ExitCodes.OK : ExitCodes.FAILURE;
      } finally {
        if (viewer != null) {
          viewer.close();
        }
      }
    }
  }

  /**
   * People and seed of a demo camera's scene. The first two were picked so that HOG finds people in
   * both (seed 2's lone person in profile is missed by HOG: that camera showed nobody).
   */
  private static int[] demoScene(int camera) {
    return switch (camera) {
      case 1 -> new int[] {3, 1};
      case 2 -> new int[] {2, 3};
      default -> new int[] {1 + (camera + 1) % 3, camera + 1};
    };
  }

  private Path demoClip(int camera) throws IOException {
    int persons = demoScene(camera)[0];
    int seed = demoScene(camera)[1];
    Path clip =
        workDir
            .resolveSibling("clips")
            .resolve(
                "scene-cam"
                    + camera
                    + "-p"
                    + persons
                    + "-s"
                    + seed
                    + "-640x480-"
                    + seconds
                    + "s.mp4");
    if (!Files.exists(clip) || !Files.exists(SceneClipWriter.labelsFile(clip))) {
      System.out.println("   rendering " + clip + " (synthetic people, with ground truth)");
      SyntheticScene scene =
          SyntheticScene.builder(body())
              .optSize(640, 480)
              .optFps(25)
              .optFrames(seconds * 25)
              .optPersons(persons)
              .optSeed(seed)
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
    Map<String, Frame> sample = samples;
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

  private final Map<String, Frame> samples = new TreeMap<>();

  private static final String DEMO_GROUP = "megastream-demo";

  private io.megastream.recover.RecoverConfig config(EmbeddedKafkaBroker broker) {
    return io.megastream.recover.RecoverConfig.builder(broker.bootstrapServers())
        .optKafka(kafka(StageAcls.Stage.RECOVER))
        .optGroupId(DEMO_GROUP)
        .optWorkerId("demo-1")
        .optModelDir(model)
        .optTokenizerDir(tokenizer)
        .optSampling(MegaGenerator.Sampling.conditional(samplesQ, steps, 1.0))
        .optMetricsPort(0)
        .build();
  }

  private static Mat decode(Frame f) {
    Mat m = io.megastream.pose.Images.decode(f.getImage().toByteArray());
    if (m == null) {
      throw new IllegalStateException(
          "frame " + f.getCameraId() + "/" + f.getSeq() + " holds no decodable image");
    }
    return m;
  }

  /** Writes a frame with its person boxes drawn, so a newcomer can see what went to Kafka. */
  private void annotate(Frame f) {
    try (Mat img = decode(f)) {
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
