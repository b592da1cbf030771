package io.megastream.loadtest;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.inference.PersonRecoverer;
import io.megastream.proto.Frame;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.RecoveryMode;
import io.megastream.proto.RecoveryStatus;
import io.megastream.proto.Topics;
import io.megastream.proto.admin.TopicCreator;
import io.megastream.recover.RecoverConfig;
import io.megastream.recover.RecoverWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The recover worker on this machine, against the embedded broker, with the bundled model: (1)
 * frames/s and persons/s of one worker against the batch size, on a backlog of rendered frames
 * (deterministic mode, the throughput ceiling); (2) a steady load of 4 cameras at a fixed frame
 * rate in the default adaptive mode: the split of end-to-end latency into queueing, inference and
 * Kafka (the rest), p50/p99, and the share of persons sampled with what it costs. Run: {@code
 * loadtest/run-recover-bench.sh [frames=48] [steady-seconds=60] [fps-per-camera=0.5]}.
 */
public final class RecoverBench {

  private RecoverBench() {}

  public static void main(String[] args) throws Exception {
    int backlog = args.length > 0 ? Integer.parseInt(args[0]) : 48;
    int steadySeconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    double fps = args.length > 2 ? Double.parseDouble(args[2]) : 0.5;
    Path root = Path.of(args.length > 3 ? args[3] : "..");
    Path data = Files.createTempDirectory("recover-bench");
    List<Frame> rendered = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      rendered.addAll(render("cam-" + c, 300 + c, Math.max(2, backlog / 4)));
    }
    long persons = rendered.stream().mapToLong(Frame::getPersonsCount).sum();
    System.out.printf(
        "%d rendered frames (640x480, 4 cameras), %d persons%n", rendered.size(), persons);
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.builder().optDataDir(data).build().start()) {
      try (Admin admin = Admin.create(broker.clientProperties())) {
        TopicCreator.builder(admin).build().create(Topics.all());
      }
      System.out.println("\n(1) one worker, backlog, deterministic mode: throughput vs batch size");
      System.out.printf("%10s %10s %12s %14s%n", "max batch", "seconds", "frames/s", "persons/s");
      int round = 0;
      for (int batch : new int[] {1, 4, 8, 16, 32}) {
        String camPrefix = "b" + batch + "-";
        List<Frame> frames = new ArrayList<>();
        for (Frame f : rendered) {
          frames.add(f.toBuilder().setCameraId(camPrefix + f.getCameraId()).build());
        }
        send(broker, frames, 0);
        RecoverConfig config =
            config(broker, root, "bench-batch-" + batch, PersonRecoverer.Mode.DETERMINISTIC)
                .optMaxBatchPersons(batch)
                .build();
        long t0;
        long done;
        try (RecoverWorker w = new RecoverWorker(config)) {
          t0 = System.nanoTime();
          w.start();
          long target = (long) rendered.size() * (round + 1);
          while (w.stats().frames() < target) {
            Thread.sleep(100);
          }
          done = System.nanoTime();
        }
        round++;
        // a new group reads the topic from the start: this round ran every round's frames so far
        double s = (done - t0) / 1e9;
        System.out.printf(
            "%10d %10.1f %12.2f %14.2f%n",
            batch, s, (double) rendered.size() * round / s, (double) persons * round / s);
      }

      System.out.printf(
          "%n(1b) the same backlog at max batch 8, BlazePose on OpenCV DNN (the old conditioner)"
              + " against TensorFlow Lite (the default), one after the other%n");
      System.out.printf("%10s %10s %12s %14s%n", "engine", "seconds", "frames/s", "persons/s");
      for (var engine :
          new io.megastream.mega.pose.BlazePose.Engine[] {
            io.megastream.mega.pose.BlazePose.Engine.OPENCV,
            io.megastream.mega.pose.BlazePose.Engine.TFLITE
          }) {
        String group = "bench-engine-" + engine;
        List<Frame> frames = new ArrayList<>();
        for (Frame f : rendered) {
          frames.add(f.toBuilder().setCameraId(group + "-" + f.getCameraId()).build());
        }
        send(broker, frames, 0);
        round++;
        RecoverConfig config =
            config(broker, root, group, PersonRecoverer.Mode.DETERMINISTIC)
                .optMaxBatchPersons(8)
                .optPoseEngine(engine)
                .build();
        long t0;
        long done;
        try (RecoverWorker w = new RecoverWorker(config)) {
          t0 = System.nanoTime();
          w.start();
          long target = (long) rendered.size() * round;
          while (w.stats().frames() < target) {
            Thread.sleep(100);
          }
          done = System.nanoTime();
        }
        double s = (done - t0) / 1e9;
        System.out.printf(
            "%10s %10.1f %12.2f %14.2f%n",
            engine, s, (double) rendered.size() * round / s, (double) persons * round / s);
      }

      System.out.printf(
          "%n(2) steady load: 4 cameras x %.2f fps for %d s, adaptive mode (threshold %.2f, Q8 T8)%n",
          fps, steadySeconds, RecoverConfig.DEFAULT_THRESHOLD);
      RecoverConfig config =
          config(broker, root, "bench-steady", PersonRecoverer.Mode.ADAPTIVE)
              .optKafka(java.util.Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"))
              .build();
      List<Frame> steady = new ArrayList<>();
      int perCamera = (int) Math.round(steadySeconds * fps);
      for (int i = 0; i < perCamera; i++) {
        for (int c = 0; c < 4; c++) {
          Frame f = rendered.get((c * (rendered.size() / 4) + i) % rendered.size());
          steady.add(f.toBuilder().setCameraId("steady-" + c).setSeq(i).build());
        }
      }
      try (RecoverWorker w = new RecoverWorker(config)) {
        w.start();
        while (!w.isAssigned()) {
          Thread.sleep(100);
        }
        Thread.sleep(2000); // positioned at the end of the topic before the load starts
        send(broker, steady, (long) (1000 / (fps * 4)));
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (w.stats().frames() < steady.size() && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
      }
      report(broker);
    }
  }

  private static RecoverConfig.Builder config(
      EmbeddedKafkaBroker broker, Path root, String group, PersonRecoverer.Mode mode) {
    return RecoverConfig.builder(broker.bootstrapServers())
        .optGroupId(group)
        .optWorkerId(group)
        .optMode(mode)
        .optModelDir(root.resolve("models").resolve("mega"))
        .optTokenizerDir(root.resolve("models").resolve("tokenizer"))
        .optMaxWait(Duration.ofMillis(50));
  }

  private static void report(EmbeddedKafkaBroker broker) {
    List<MeshRecovery> results = new ArrayList<>();
    Properties p = broker.clientProperties();
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-read-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(Topics.MESHES.name()));
      int idle = 0;
      while (idle < 10) {
        var records = c.poll(Duration.ofMillis(300));
        idle = records.isEmpty() ? idle + 1 : 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
          MeshRecovery m = Topics.MESHES.decodeValue(r.headers(), r.value());
          if (m.getFrame().getCameraId().startsWith("steady-")
              && m.getStatus() == RecoveryStatus.RECOVERY_STATUS_OK) {
            results.add(m);
          }
        }
      }
    }
    double[] queue = new double[results.size()];
    double[] inference = new double[results.size()];
    double[] e2e = new double[results.size()];
    double[] kafka = new double[results.size()];
    int sampled = 0;
    double infSampled = 0;
    double infOther = 0;
    for (int i = 0; i < results.size(); i++) {
      var t = results.get(i).getTimings();
      queue[i] = t.getQueueWaitUs() / 1000.0;
      inference[i] = t.getInferenceUs() / 1000.0;
      e2e[i] = t.getEndToEndUs() / 1000.0;
      kafka[i] = Math.max(0, e2e[i] - queue[i] - inference[i]);
      boolean s = results.get(i).getMode() == RecoveryMode.RECOVERY_MODE_STOCHASTIC;
      sampled += s ? 1 : 0;
      double perPerson = inference[i] / Math.max(1, t.getBatchSize());
      if (s) {
        infSampled += perPerson;
      } else {
        infOther += perPerson;
      }
    }
    System.out.printf("%d persons recovered%n", results.size());
    System.out.printf("%-34s %10s %10s%n", "", "p50 ms", "p99 ms");
    row("queue wait (polled -> batch)", queue);
    row("inference (batch, incl. sampling)", inference);
    row("in Kafka before poll, produce, commit", kafka);
    row("end to end (capture -> result)", e2e);
    System.out.printf(
        "sampled: %d of %d persons (%.0f %%); batch inference per person: %.0f ms in batches"
            + " with that person sampled vs %.0f ms otherwise%n",
        sampled,
        results.size(),
        100.0 * sampled / Math.max(1, results.size()),
        sampled == 0 ? Double.NaN : infSampled / sampled,
        results.size() == sampled ? Double.NaN : infOther / (results.size() - sampled));
  }

  private static void row(String name, double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    System.out.printf(
        "%-34s %10.0f %10.0f%n",
        name,
        s.length == 0 ? Double.NaN : s[(int) (0.5 * (s.length - 1))],
        s.length == 0 ? Double.NaN : s[(int) (0.99 * (s.length - 1))]);
  }

  /** Produces frames (capture time = now), pausing {@code gapMs} between frames. */
  static void send(EmbeddedKafkaBroker broker, List<Frame> frames, long gapMs) throws Exception {
    Properties p = broker.clientProperties();
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Frame f : frames) {
        Frame now = f.toBuilder().setCaptureTimeUs(System.currentTimeMillis() * 1000).build();
        producer.send(Topics.FRAMES.record(now.getCameraId(), now));
        if (gapMs > 0) {
          producer.flush();
          Thread.sleep(gapMs);
        }
      }
      producer.flush();
    }
  }

  static List<Frame> render(String camera, long seed, int count) {
    return io.megastream.train.image.SceneFrames.render(
        io.megastream.train.image.SceneFrames.scene(
            ProceduralBody.build(), seed, count, 2, 640, 480),
        camera,
        "bench",
        16);
  }
}
