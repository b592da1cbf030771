package io.megastream.cli;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.tokenizer.TokenizerModel;
import io.megastream.pose.Images;
import io.megastream.proto.Frame;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.RecoveryMode;
import io.megastream.proto.RecoveryStatus;
import io.megastream.proto.StochasticSamples;
import io.megastream.proto.Topics;
import io.megastream.recover.RecoverConfig;
import io.megastream.recover.RecoverWorker;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/** The demo's last two steps: the recover worker over the stream, and what it produced. */
final class DemoResults {

  private DemoResults() {}

  /** Starts a recover worker on the demo broker. */
  static RecoverWorker start(RecoverConfig config, PrintStream out) throws Exception {
    RecoverWorker worker = new RecoverWorker(config);
    worker.start();
    out.printf(
        "   worker %s in group %s, model %s%n   health and Prometheus metrics:"
            + " http://127.0.0.1:%d/metrics%n",
        config.workerId(), config.groupId(), worker.modelVersion(), worker.healthPort());
    return worker;
  }

  /** Waits until the worker has accounted for every ingested frame (or 15 minutes pass). */
  static boolean await(RecoverWorker worker, long frames, long startNanos, PrintStream out)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
    RecoverWorker.Stats s = worker.stats();
    while (s.frames() < frames && worker.failure() == null && System.nanoTime() < deadline) {
      worker.awaitStopped(Duration.ofSeconds(5));
      s = worker.stats();
      out.printf(
          "   %d of %d frames, %d persons (%d sampled), %d dead letters%n",
          s.frames(), frames, s.persons(), s.stochastic(), s.deadLetters());
    }
    double secs = (System.nanoTime() - startNanos) / 1e9;
    out.printf(
        "   %.0f s since the worker started: %.1f frames/s, %.1f persons/s, %d batches%n",
        secs, s.frames() / secs, s.persons() / secs, s.batches());
    if (worker.failure() != null) {
      out.println("   the worker failed: " + worker.failure());
      return false;
    }
    return s.frames() >= frames;
  }

  /**
   * Reads the results back (read_committed) and prints per camera: frames, persons, the share
   * sampled and latency percentiles; draws each camera's busiest frame with its meshes.
   */
  static boolean summarise(
      EmbeddedKafkaBroker broker,
      Map<String, Frame> busiest,
      SkinnedBodyModel body,
      Path tokenizerDir,
      Path workDir,
      PrintStream out)
      throws Exception {
    List<MeshRecovery> meshes = readAll(broker, Topics.MESHES);
    Map<String, StochasticSamples> samples = new HashMap<>();
    for (StochasticSamples s : readAll(broker, Topics.SAMPLES)) {
      samples.put(io.megastream.sink.decode.MeshDecoder.key(s), s);
    }
    Map<String, List<MeshRecovery>> byCamera = new TreeMap<>();
    Map<String, Integer> perId = new HashMap<>();
    for (MeshRecovery m : meshes) {
      byCamera.computeIfAbsent(m.getFrame().getCameraId(), k -> new ArrayList<>()).add(m);
      perId.merge(io.megastream.sink.decode.MeshDecoder.key(m), 1, Integer::sum);
    }
    long duplicates = perId.values().stream().filter(n -> n > 1).count();
    out.printf(
        "   %-10s %7s %8s %9s %10s %17s %17s%n",
        "camera",
        "frames",
        "persons",
        "sampled",
        "no person",
        "end-to-end p50/p99",
        "inference p50/p99");
    for (var e : byCamera.entrySet()) {
      List<MeshRecovery> ms = e.getValue();
      long frames = ms.stream().map(m -> m.getFrame().getSeq()).distinct().count();
      List<MeshRecovery> ok =
          ms.stream().filter(m -> m.getStatus() == RecoveryStatus.RECOVERY_STATUS_OK).toList();
      long sampled =
          ok.stream().filter(m -> m.getMode() == RecoveryMode.RECOVERY_MODE_STOCHASTIC).count();
      long empty =
          ms.stream()
              .filter(m -> m.getStatus() == RecoveryStatus.RECOVERY_STATUS_NO_PERSONS)
              .count();
      double[] e2e =
          ok.stream().mapToDouble(m -> m.getTimings().getEndToEndUs() / 1000.0).sorted().toArray();
      double[] inf =
          ok.stream().mapToDouble(m -> m.getTimings().getInferenceUs() / 1000.0).sorted().toArray();
      out.printf(
          "   %-10s %7d %8d %8.0f%% %10d %8.0f/%6.0f ms %8.0f/%6.0f ms%n",
          e.getKey(),
          frames,
          ok.size(),
          ok.isEmpty() ? 0 : 100.0 * sampled / ok.size(),
          empty,
          pct(e2e, 0.5),
          pct(e2e, 0.99),
          pct(inf, 0.5),
          pct(inf, 0.99));
    }
    out.printf(
        "   %d results, %s%n",
        meshes.size(),
        duplicates == 0 ? "one per person per frame (no duplicates)" : duplicates + " DUPLICATED");
    // one tokenizer for the pictures and the videos
    try (TokenizerModel tokenizer = TokenizerModel.load(tokenizerDir, body)) {
      var decoder = new io.megastream.sink.decode.MeshDecoder(tokenizer);
      draw(busiest, meshes, samples, decoder, workDir);
      var video = new io.megastream.sink.overlay.OverlayVideo(props(broker), decoder);
      for (String camera : byCamera.keySet()) {
        var r =
            video.write(
                camera, workDir.resolve("overlay-" + camera + ".mp4"), 25, Duration.ofMinutes(2));
        out.printf(
            "   overlay video %s: %d frames, %d meshes drawn%n",
            r.file().toAbsolutePath(), r.frames(), r.persons());
      }
    }
    return duplicates == 0 && !meshes.isEmpty();
  }

  private static void draw(
      Map<String, Frame> busiest,
      List<MeshRecovery> meshes,
      Map<String, StochasticSamples> samples,
      io.megastream.sink.decode.MeshDecoder decoder,
      Path workDir) {
    for (Frame f : busiest.values()) {
      List<MeshRecovery> mine =
          meshes.stream()
              .filter(
                  m ->
                      m.getFrame().getCameraId().equals(f.getCameraId())
                          && m.getFrame().getSeq() == f.getSeq())
              .toList();
      Mat img = Images.decode(f.getImage().toByteArray());
      if (img == null) {
        continue;
      }
      try (img) {
        for (var person : decoder.decode(mine, samples)) {
          io.megastream.sink.overlay.MeshOverlay.draw(img, person);
        }
        opencv_imgcodecs.imwrite(
            workDir.resolve("mesh-" + f.getCameraId() + ".png").toString(), img);
      }
    }
  }

  private static double pct(double[] sorted, double q) {
    return sorted.length == 0
        ? Double.NaN
        : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)];
  }

  /** Everything committed on a topic now (read_committed, up to the end offsets). */
  private static <V> List<V> readAll(
      EmbeddedKafkaBroker broker, io.megastream.proto.Topic<String, V> topic) {
    List<V> out = new ArrayList<>();
    new io.megastream.proto.read.TopicSnapshot(props(broker))
        .read(topic, Duration.ofSeconds(60), "the demo creates it", (r, v) -> out.add(v));
    return out;
  }

  private static Map<String, Object> props(EmbeddedKafkaBroker broker) {
    Map<String, Object> props = new HashMap<>();
    broker.clientProperties().forEach((k, v) -> props.put((String) k, v));
    return props;
  }
}
