package io.megastream.loadtest;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.ingest.CameraSpec;
import io.megastream.ingest.Ingest;
import io.megastream.ingest.IngestConfig;
import io.megastream.ingest.IngestResult;
import io.megastream.ingest.IngestStats;
import io.megastream.ingest.clip.SyntheticClip;
import io.megastream.proto.Topics;
import io.megastream.proto.admin.TopicCreator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Ingest throughput (decode + JPEG + produce, frames/s) for 640x480 and 1280x720 clips, next to
 * Kafka's own {@code ProducerPerformance} sending records of the same size with the same producer
 * settings to the same broker in the same run. Prints a table; median of the repetitions.
 *
 * <p>Run: {@code mvn -q -pl loadtest -am package -DskipTests && java -cp ... IngestThroughputBench
 * [frames] [repetitions]} - see loadtest/README.md.
 */
public final class IngestThroughputBench {

  private static final Pattern RECORDS_PER_SEC =
      Pattern.compile("records sent, ([0-9.]+) records/sec");

  public static void main(String[] args) throws Exception {
    int frames = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String detector = args.length > 2 ? args[2] : "full-frame";
    Path work = Files.createDirectories(Path.of("target", "bench"));
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.builder()
            .optDataDir(work.resolve("kafka-" + System.nanoTime()))
            .build()
            .start()) {
      try (Admin admin = Admin.create(broker.clientProperties())) {
        TopicCreator.builder(admin).build().create(Topics.all());
        admin
            .createTopics(
                List.of(
                    new NewTopic("perf-baseline", Topics.FRAMES.spec().partitions(), (short) 1)
                        .configs(Topics.FRAMES.spec().configs())))
            .all()
            .get();
        TopicCreator.builder(admin).build().awaitWritable(java.util.Set.of("perf-baseline"));
      }
      System.out.printf(
          "%-10s %7s %9s %12s %10s %16s %7s%n",
          "clip", "frames", "avg KB", "ingest fps", "MB/s", "ProducerPerf r/s", "ratio");
      for (int[] size : new int[][] {{640, 480}, {1280, 720}}) {
        Path clip = work.resolve("clip-" + size[0] + "x" + size[1] + ".mp4");
        if (!Files.exists(clip)) {
          SyntheticClip.builder()
              .optSize(size[0], size[1])
              .optFrames(250)
              .optPersons(2)
              .build()
              .write(clip);
        }
        double[] ingestFps = new double[reps];
        double[] perfRps = new double[reps];
        double avgBytes = 0;
        double mbps = 0;
        for (int r = 0; r < reps; r++) {
          String camera = "bench-" + size[0] + "-" + r;
          IngestConfig config =
              IngestConfig.builder()
                  .setBootstrapServers(broker.bootstrapServers())
                  .addCamera(new CameraSpec(camera, clip.toString()))
                  .optDetector(detector)
                  .optLoop(true)
                  .optMaxFramesPerCamera(frames)
                  .build();
          long t0 = System.nanoTime();
          IngestResult result;
          try (Ingest ingest = new Ingest(config)) {
            ingest.start();
            result = ingest.awaitCompletion(Duration.ofMinutes(10));
          }
          double secs = (System.nanoTime() - t0) / 1e9;
          IngestStats.Camera c = result.stats().camera(camera);
          if (c.sent() != frames) {
            throw new IllegalStateException("ingest sent " + c.sent() + " of " + frames);
          }
          ingestFps[r] = frames / secs;
          avgBytes = c.sentBytes() / (double) c.sent();
          mbps = c.sentBytes() / secs / 1e6;
          perfRps[r] =
              producerPerformance(broker.bootstrapServers(), frames, (int) Math.round(avgBytes));
        }
        double fps = median(ingestFps);
        double rps = median(perfRps);
        System.out.printf(
            "%-10s %7d %9.1f %12.1f %10.1f %16.1f %7.2f%n",
            size[0] + "x" + size[1], frames, avgBytes / 1024, fps, mbps, rps, fps / rps);
        System.out.println(
            "  ingest runs "
                + Arrays.toString(round(ingestFps))
                + ", ProducerPerformance runs "
                + Arrays.toString(round(perfRps)));
      }
    }
  }

  /** Runs Kafka's ProducerPerformance in a child JVM with ingest's producer settings. */
  static double producerPerformance(String bootstrap, int records, int recordSize)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.apache.kafka.tools.ProducerPerformance");
    cmd.addAll(
        List.of(
            "--topic",
            "perf-baseline",
            "--num-records",
            Integer.toString(records),
            "--record-size",
            Integer.toString(recordSize),
            "--throughput",
            "-1",
            "--producer-props"));
    for (Map.Entry<String, Object> e : Ingest.producerDefaults(Topics.FRAME_MAX_BYTES).entrySet()) {
      cmd.add(e.getKey() + "=" + e.getValue());
    }
    cmd.add("bootstrap.servers=" + bootstrap);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    double rps = -1;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        Matcher m = RECORDS_PER_SEC.matcher(line);
        if (m.find()) {
          rps = Double.parseDouble(m.group(1)); // the last line is the whole-run summary
        }
      }
    }
    if (p.waitFor() != 0 || rps < 0) {
      throw new IllegalStateException("ProducerPerformance failed (exit " + p.exitValue() + ")");
    }
    return rps;
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static double[] round(double[] xs) {
    return Arrays.stream(xs).map(x -> Math.round(x * 10) / 10.0).toArray();
  }

  private IngestThroughputBench() {}
}
