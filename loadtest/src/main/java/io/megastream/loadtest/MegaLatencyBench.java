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
 * Latency of each inference stage on this machine, medians in milliseconds: BlazePose per crop,
 * MEGA's deterministic pass (batch 1 and 16) and stochastic mode (Q samples, T steps) for the
 * {@code lite} and {@code paper} sizes, and the tokenizer's decoder. Parameters are random: latency
 * does not depend on them. Run: {@code loadtest/run-mega-bench.sh [reps=20]}.
 */
public final class MegaLatencyBench {

  private MegaLatencyBench() {}

  public static void main(String[] args) throws Exception {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Random random = new Random(1);
    float[][] one = features(1, random);
    float[][] sixteen = features(16, random);
    System.out.printf("%-34s %10s %10s%n", "stage", "median ms", "per item");
    for (BlazePose.Variant v : BlazePose.Variant.values()) {
      try (BlazePose pose = BlazePose.load(v);
          Mat crop = new Mat(256, 256, opencv_core.CV_8UC3, new Scalar(90, 120, 150, 0))) {
        double ms = median(reps, () -> pose.estimate(crop));
        System.out.printf("%-34s %10.1f %10.1f%n", "BlazePose " + v + " (1 crop)", ms, ms);
      }
    }
    for (String size : new String[] {"lite", "paper"}) {
      MegaConfig c =
          size.equals("lite")
              ? MegaConfig.lite(PoseConditioning.TOKENS, PoseConditioning.FEATURES)
              : MegaConfig.paper(PoseConditioning.TOKENS, PoseConditioning.FEATURES);
      try (MegaModel m = MegaModel.create(c, MegaModel.Conditioning.POSE)) {
        MegaGenerator g = new MegaGenerator(m);
        String name = "MEGA " + size + " (" + m.parameterCount() / 1_000_000 + " M)";
        double b1 = median(reps, () -> g.deterministic(one));
        double b16 = median(Math.max(3, reps / 4), () -> g.deterministic(sixteen));
        double st =
            median(
                Math.max(3, reps / 4),
                () -> g.sample(one[0], MegaGenerator.Sampling.conditional(8, 8, 1.0), 1));
        System.out.printf("%-34s %10.1f %10.1f%n", name + " deterministic b1", b1, b1);
        System.out.printf("%-34s %10.1f %10.1f%n", name + " deterministic b16", b16, b16 / 16);
        System.out.printf("%-34s %10.1f %10.1f%n", name + " stochastic Q8 T8", st, st);
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
