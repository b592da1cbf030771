package io.megastream.loadtest;

import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.model.MegaConfig;
import io.megastream.mega.model.MegaGenerator;
import io.megastream.mega.model.MegaModel;
import io.megastream.mega.pose.BlazePose;
import io.megastream.mega.pose.PoseConditioning;
import io.megastream.mega.tokenizer.TokenizerModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Latency of each inference stage on this machine, medians in milliseconds: BlazePose per crop, the
 * image backbone, MEGA's deterministic pass (batch 1, 8, 32) and stochastic mode (Q=10 samples, T=5
 * steps) for the {@code lite} and {@code paper} sizes, and the tokenizer's decoder. Next to each
 * MEGA figure: the floating-point operations the pass needs (counted from the configuration) and
 * the rate achieved, against this machine's measured float32 matrix-multiply rate through the same
 * engine (the physical limit). Parameters are random: latency does not depend on them. Run: {@code
 * loadtest/run-mega-bench.sh [reps=20]}.
 */
public final class MegaLatencyBench {

  private MegaLatencyBench() {}

  public static void main(String[] args) throws Exception {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Random random = new Random(1);
    float[][] one = features(1, random);
    System.out.printf("%-34s %10s %10s%n", "stage", "median ms", "per item");
    // the same model files through both runtimes, side by side; OpenCV's threads are global
    try (Mat crop = new Mat(256, 256, opencv_core.CV_8UC3, new Scalar(90, 120, 150, 0))) {
      for (BlazePose.Variant v : BlazePose.Variant.values()) {
        for (BlazePose.Engine e : BlazePose.Engine.values()) {
          for (int threads : new int[] {1, 2}) {
            opencv_core.setNumThreads(threads);
            try (BlazePose pose = BlazePose.load(v, e, threads)) {
              double ms = median(reps, () -> pose.estimate(crop));
              System.out.printf(
                  "%-34s %10.1f %10.1f%n",
                  "BlazePose " + v + " " + e + " " + threads + "t (1 crop)", ms, ms);
            }
          }
        }
        try (BlazePose pose = BlazePose.load(v)) {
          java.util.List<Mat> eight = java.util.Collections.nCopies(8, crop);
          double ms = median(Math.max(3, reps / 4), () -> pose.estimate(eight));
          System.out.printf(
              "%-34s %10.1f %10.1f%n", "BlazePose " + v + " TFLITE 2t (batch 8)", ms, ms / 8);
        }
      }
      opencv_core.setNumThreads(-1);
    }
    try (Mat frame = new Mat(576, 768, opencv_core.CV_8UC3, new Scalar(90, 120, 150, 0))) {
      for (int tiles : new int[] {0, 4}) {
        try (io.megastream.pose.PoseDetector d =
            io.megastream.pose.PoseDetector.load(
                new io.megastream.pose.PoseDetector.Options(0.5f, 0.3, 32, tiles), 2)) {
          double ms = median(Math.max(3, reps / 2), () -> d.detect(frame));
          System.out.printf(
              "%-34s %10.1f %10.1f%n", "pose detector 768x576 tiles=" + tiles, ms, ms);
        }
      }
    }
    double limit = matmulGflops();
    System.out.printf(
        "%-34s %10.1f GFLOP/s (float32 2048x2048 matMul, the limit below)%n",
        "matrix multiply", limit);
    try (io.megastream.mega.image.ImageBackbone backbone =
        io.megastream.mega.image.ImageBackbone.create()) {
      for (int b : new int[] {1, 8}) {
        java.util.List<float[]> crops = new java.util.ArrayList<>();
        for (int i = 0; i < b; i++) {
          crops.add(new float[3 * 128 * 128]);
        }
        double ms = median(reps, () -> backbone.features(crops));
        System.out.printf("%-34s %10.1f %10.1f%n", "image backbone (" + b + " crops)", ms, ms / b);
      }
    }
    System.out.printf(
        "%-34s %10s %10s %12s %12s %8s%n",
        "MEGA", "median ms", "per person", "GFLOP/pass", "GFLOP/s", "of limit");
    for (String size : new String[] {"lite", "paper"}) {
      MegaConfig c =
          size.equals("lite")
              ? MegaConfig.lite(PoseConditioning.TOKENS, PoseConditioning.FEATURES)
              : MegaConfig.paper(PoseConditioning.TOKENS, PoseConditioning.FEATURES);
      try (MegaModel m = MegaModel.create(c, MegaModel.Conditioning.POSE)) {
        MegaGenerator g = new MegaGenerator(m);
        String name = size + " (" + m.parameterCount() / 1_000_000 + " M)";
        for (int b : new int[] {1, 8, 32}) {
          float[][] in = features(b, random);
          double ms = median(b == 1 ? reps : Math.max(3, reps / 4), () -> g.deterministic(in));
          row(name + " deterministic b" + b, ms, b, b * deterministicFlops(c), limit);
        }
        int q = 10;
        int t = 5;
        double st =
            median(
                Math.max(3, reps / 4),
                () -> g.sample(one[0], MegaGenerator.Sampling.conditional(q, t, 1.0), 1));
        row(name + " stochastic Q10 T5", st, 1, stochasticFlops(c, q, t), limit);
      }
    }
    Path tokenizerDir = Path.of(args.length > 1 ? args[1] : "../models/tokenizer");
    try (TokenizerModel t = TokenizerModel.load(tokenizerDir, ProceduralBody.build())) {
      int[][] tokens1 = new int[1][54];
      int[][] tokens8 = new int[8][54];
      double d1 = median(reps, () -> t.decode(tokens1));
      double d8 = median(reps, () -> t.decode(tokens8));
      System.out.printf("%-34s %10.1f %10.1f%n", "tokenizer decode (1 mesh)", d1, d1);
      System.out.printf("%-34s %10.1f %10.1f%n", "tokenizer decode (8 meshes)", d8, d8 / 8);
    }
  }

  private static void row(String name, double ms, int persons, double flops, double limit) {
    double rate = flops / (ms / 1e3) / 1e9;
    System.out.printf(
        "%-34s %10.1f %10.2f %12.2f %12.1f %7.0f%%%n",
        name, ms, ms / persons, flops / persons / 1e9, rate, 100 * rate / limit);
  }

  /** Float32 matrix-multiply rate of the engine on this machine, GFLOP/s (median of 5). */
  private static double matmulGflops() {
    int n = 2048;
    try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
      ai.djl.ndarray.NDArray a = m.randomNormal(new ai.djl.ndarray.types.Shape(n, n));
      ai.djl.ndarray.NDArray b = m.randomNormal(new ai.djl.ndarray.types.Shape(n, n));
      double ms =
          median(
              5,
              () -> {
                try (ai.djl.ndarray.NDArray c = a.matMul(b)) {
                  c.getFloat(0, 0); // forces the computation
                }
              });
      return 2.0 * n * n * n / (ms / 1e3) / 1e9;
    }
  }

  /**
   * FLOPs (2 per multiply-add) of one pre-LN transformer block over {@code l} tokens: Q, K, V and
   * output projections 4·l·D², attention scores and mixing 2·l²·D, MLP (ratio 4) 8·l·D².
   */
  private static double blockFlops(MegaConfig c, int l) {
    double d = c.dim();
    return 2 * (12 * l * d * d + 2.0 * l * l * d);
  }

  /** The decoder over [conditioning; cls; slots] plus the token head (D→D→S per slot). */
  static double deterministicFlops(MegaConfig c) {
    int l = c.conditionTokens() + 1 + c.tokens();
    double d = c.dim();
    double head = 2 * c.tokens() * (d * d + d * c.codebookSize());
    double in = 2.0 * c.conditionTokens() * c.conditionFeatures() * d;
    return c.decoderBlocks() * blockFlops(c, l) + head + in;
  }

  /**
   * Q samples, T steps: every step a decoder pass; from the second, an encoder pass over N slots.
   */
  static double stochasticFlops(MegaConfig c, int q, int t) {
    double encoder = c.encoderBlocks() * blockFlops(c, c.tokens());
    return q * (t * deterministicFlops(c) + (t - 1) * encoder);
  }

  private static float[][] features(int n, Random random) {
    float[][] f = new float[n][PoseConditioning.TOKENS * PoseConditioning.FEATURES];
    for (float[] row : f) {
      for (int i = 0; i < row.length; i++) {
        row[i] = (float) random.nextGaussian() * 0.3f;
      }
    }
    return f;
  }

  /** Median of {@code reps} timed runs after three warm-up runs, milliseconds. */
  private static double median(int reps, Runnable r) {
    for (int i = 0; i < 3; i++) {
      r.run();
    }
    double[] t = new double[reps];
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      r.run();
      t[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(t);
    return t[reps / 2];
  }
}
