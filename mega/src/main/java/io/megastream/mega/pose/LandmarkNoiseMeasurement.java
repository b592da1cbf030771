package io.megastream.mega.pose;

import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.render.RenderedPeople;
import io.megastream.mega.render.SceneRenderer;
import io.megastream.pose.PersonCrop;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Measures how BlazePose's real output differs from the body model's exact landmarks: renders
 * people of the synthetic benchmark, crops them at their true boxes, runs BlazePose, and compares
 * feature by feature with {@link PoseConditioning#observe} (no noise) on the same crop. The result
 * is the {@link LandmarkNoise} that stage-2 training applies to synthetic landmarks.
 */
public final class LandmarkNoiseMeasurement {

  /**
   * What was measured.
   *
   * @param noise fitted noise model (robust standard deviations: 1.4826 × median absolute error)
   * @param crops crops measured
   * @param median2d median 2D error of truly visible landmarks, fraction of the crop side
   * @param p90of2d 90th percentile of the same
   * @param meanPresence mean person presence BlazePose reported
   * @param millisPerCrop mean BlazePose time per crop
   */
  public record Result(
      LandmarkNoise noise,
      int crops,
      double median2d,
      double p90of2d,
      double meanPresence,
      double millisPerCrop) {}

  private LandmarkNoiseMeasurement() {}

  /**
   * Measures on {@code scenes} one-person scenes, {@code framesPerScene} frames each (1 s apart).
   */
  public static Result measure(
      SkinnedBodyModel body, BlazePose pose, int scenes, int framesPerScene, long seed) {
    PoseConditioning exact = new PoseConditioning(body, LandmarkNoise.NONE);
    List<Double> e2d = new ArrayList<>();
    List<Double> eDepth = new ArrayList<>();
    List<Double> eWorld = new ArrayList<>();
    long[] nanos = {0};
    int[] crops = {0};
    double[] sums = new double[3]; // visibility on visible, on hidden, presence
    int[] counts = new int[2];
    Random unused = new Random(0);
    RenderedPeople.forEach(
        body,
        1,
        seed,
        framesPerScene * 25,
        25,
        scenes,
        person -> {
          SceneRenderer.PersonTruth t = person.truth();
          if (t.occlusion() > 0.2) {
            return true;
          }
          float[] b = t.box();
          try (PersonCrop crop =
              PersonCrop.of(
                  person.frame(), b[0], b[1], b[2], b[3], PersonCrop.PADDING, BlazePose.INPUT)) {
            long t0 = System.nanoTime();
            PoseLandmarks lm = pose.estimate(crop.image());
            nanos[0] += System.nanoTime() - t0;
            crops[0]++;
            sums[2] += lm.presence();
            float[] real = PoseConditioning.features(lm);
            float[] truth =
                exact.observe(
                    t.worldVertices(),
                    person.camera(),
                    crop.centerX(),
                    crop.centerY(),
                    crop.side(),
                    LandmarkNoise.NONE,
                    unused);
            for (int k = 0; k < PoseConditioning.TOKENS; k++) {
              int i = k * PoseConditioning.FEATURES;
              if (t.landmarkVisible()[k]) {
                e2d.add(Math.hypot(real[i] - truth[i], real[i + 1] - truth[i + 1]));
                eDepth.add((double) Math.abs(real[i + 2] - truth[i + 2]));
                for (int a = 5; a < 8; a++) {
                  eWorld.add((double) Math.abs(real[i + a] - truth[i + a]));
                }
                sums[0] += real[i + 3];
                counts[0]++;
              } else {
                sums[1] += real[i + 3];
                counts[1]++;
              }
            }
          }
          return true;
        });
    if (crops[0] == 0) {
      throw new IllegalStateException("no person was visible enough to measure");
    }
    Collections.sort(e2d);
    double median2d = quantile(e2d, 0.5);
    long gross = e2d.stream().filter(e -> e > 0.15).count();
    LandmarkNoise noise =
        new LandmarkNoise(
            // a 2D error is the norm of two Gaussian components: median = 1.1774 sigma
            median2d / 1.1774,
            1.4826 * median(eDepth),
            1.4826 * median(eWorld),
            counts[0] == 0 ? 1 : sums[0] / counts[0],
            counts[1] == 0 ? 0 : sums[1] / counts[1],
            e2d.isEmpty() ? 0 : (double) gross / e2d.size());
    return new Result(
        noise,
        crops[0],
        median2d,
        quantile(e2d, 0.9),
        sums[2] / crops[0],
        nanos[0] / 1e6 / crops[0]);
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    return quantile(s, 0.5);
  }

  private static double quantile(List<Double> sorted, double q) {
    return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, q * sorted.size()));
  }
}
