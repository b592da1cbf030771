package io.megastream.mega.pose;

import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.render.RenderedPeople;
import io.megastream.mega.render.SceneRenderer;
import io.megastream.pose.PersonCrop;
import io.megastream.pose.PoseDetector;
import io.megastream.pose.PoseRoi;
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
   * @param median2dOfHeight the same median error as a fraction of the person's box height (the two
   *     crop conventions have different sides)
   * @param unfound people the pose detector found no ROI for ({@link Crops#DETECTOR}; 0 for boxes)
   * @param hidden what BlazePose reported for the truly hidden landmarks of the same crops
   */
  public record Result(
      LandmarkNoise noise,
      int crops,
      double median2d,
      double p90of2d,
      double meanPresence,
      double millisPerCrop,
      double median2dOfHeight,
      int unfound,
      Hidden hidden) {}

  /**
   * BlazePose on landmarks the body model says are hidden (behind the body, or behind an occluder
   * in {@link People#OCCLUDED} scenes), against the visible ones.
   *
   * @param landmarks hidden landmarks measured
   * @param median2d median 2D error, fraction of the crop side
   * @param worldSigma robust world-landmark error (1.4826 × median absolute error), metres
   * @param visibility p10 / p50 / p90 of the visibility BlazePose reported on them
   * @param visibleVisibility the same quantiles on the truly visible landmarks
   */
  public record Hidden(
      int landmarks,
      double median2d,
      double worldSigma,
      double[] visibility,
      double[] visibleVisibility) {}

  /** Which rendered people are measured. */
  public enum People {
    /** Hidden at most 20 %: the noise of landmarks BlazePose can see. */
    CLEAR,
    /** Hidden 25-70 %, as the benchmark's occluded subset: what BlazePose does behind occluders. */
    OCCLUDED
  }

  /** Where the landmark model's crop comes from. */
  public enum Crops {
    /** A square of 1.25 × the true box's longer side around its centre. */
    BOX,
    /**
     * The pose detector's ROI (hip-centred, sized by the body, rotated upright) whose centre lies
     * inside the true box, the nearest to its centre; as ingest's {@code --detector blazepose}.
     */
    DETECTOR
  }

  private LandmarkNoiseMeasurement() {}

  /**
   * Measures on {@code scenes} one-person scenes, {@code framesPerScene} frames each (1 s apart).
   */
  public static Result measure(
      SkinnedBodyModel body, BlazePose pose, int scenes, int framesPerScene, long seed) {
    return measure(body, pose, scenes, framesPerScene, seed, Crops.BOX);
  }

  /** As {@link #measure(SkinnedBodyModel, BlazePose, int, int, long)}, on crops of one kind. */
  public static Result measure(
      SkinnedBodyModel body,
      BlazePose pose,
      int scenes,
      int framesPerScene,
      long seed,
      Crops kind) {
    return measure(body, pose, scenes, framesPerScene, seed, kind, People.CLEAR);
  }

  /** As {@link #measure(SkinnedBodyModel, BlazePose, int, int, long, Crops)}, on some people. */
  public static Result measure(
      SkinnedBodyModel body,
      BlazePose pose,
      int scenes,
      int framesPerScene,
      long seed,
      Crops kind,
      People people) {
    try (PoseDetector detector =
        kind == Crops.DETECTOR ? PoseDetector.load(PoseDetector.Options.DEFAULTS, 2) : null) {
      return measure(body, pose, scenes, framesPerScene, seed, detector, people);
    }
  }

  private static Result measure(
      SkinnedBodyModel body,
      BlazePose pose,
      int scenes,
      int framesPerScene,
      long seed,
      PoseDetector detector,
      People people) {
    PoseConditioning exact = new PoseConditioning(body, LandmarkNoise.NONE);
    List<Double> e2d = new ArrayList<>();
    List<Double> e2dOfHeight = new ArrayList<>();
    int[] unfound = {0};
    List<Double> eDepth = new ArrayList<>();
    List<Double> eWorld = new ArrayList<>();
    long[] nanos = {0};
    int[] crops = {0};
    double[] sums = new double[3]; // visibility on visible, on hidden, presence
    int[] counts = new int[2];
    List<Double> e2dHidden = new ArrayList<>();
    List<Double> eWorldHidden = new ArrayList<>();
    List<Double> visHidden = new ArrayList<>();
    List<Double> visVisible = new ArrayList<>();
    Random unused = new Random(0);
    RenderedPeople.forEach(
        body,
        people == People.CLEAR ? 1 : 2, // occlusion comes from the other person, mostly
        seed,
        framesPerScene * 25,
        25,
        scenes,
        person -> {
          SceneRenderer.PersonTruth t = person.truth();
          boolean wanted =
              people == People.CLEAR
                  ? t.occlusion() <= 0.2
                  : t.occlusion() >= 0.25 && t.occlusion() <= 0.7;
          if (!wanted) {
            return true;
          }
          float[] b = t.box();
          PoseRoi roi = null;
          if (detector != null) {
            roi = roiOf(detector.detect(person.frame()), b);
            if (roi == null) {
              unfound[0]++;
              return true;
            }
          }
          try (PersonCrop crop =
              roi == null
                  ? PersonCrop.of(
                      person.frame(), b[0], b[1], b[2], b[3], PersonCrop.PADDING, BlazePose.INPUT)
                  : PersonCrop.of(
                      person.frame(),
                      roi.centerX(),
                      roi.centerY(),
                      roi.side(),
                      roi.angle(),
                      BlazePose.INPUT)) {
            long t0 = System.nanoTime();
            PoseLandmarks lm = pose.estimate(crop.image());
            nanos[0] += System.nanoTime() - t0;
            crops[0]++;
            sums[2] += lm.presence();
            // the crop's axes turned back to the frame's, where the exact landmarks are
            float[] real = unrotate(PoseConditioning.features(lm), crop.angle());
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
                double e = Math.hypot(real[i] - truth[i], real[i + 1] - truth[i + 1]);
                e2d.add(e);
                e2dOfHeight.add(e * crop.side() / b[3]);
                eDepth.add((double) Math.abs(real[i + 2] - truth[i + 2]));
                for (int a = 5; a < 8; a++) {
                  eWorld.add((double) Math.abs(real[i + a] - truth[i + a]));
                }
                sums[0] += real[i + 3];
                counts[0]++;
                visVisible.add((double) real[i + 3]);
              } else {
                sums[1] += real[i + 3];
                counts[1]++;
                visHidden.add((double) real[i + 3]);
                e2dHidden.add(Math.hypot(real[i] - truth[i], real[i + 1] - truth[i + 1]));
                for (int a = 5; a < 8; a++) {
                  eWorldHidden.add((double) Math.abs(real[i + a] - truth[i + a]));
                }
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
        nanos[0] / 1e6 / crops[0],
        median(e2dOfHeight),
        unfound[0],
        new Hidden(
            visHidden.size(),
            median(e2dHidden),
            1.4826 * median(eWorldHidden),
            quantiles(visHidden),
            quantiles(visVisible)));
  }

  private static double[] quantiles(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return new double[] {quantile(sorted, 0.1), quantile(sorted, 0.5), quantile(sorted, 0.9)};
  }

  /** The detector's ROI for a person: centre inside their box, nearest its centre; or null. */
  private static PoseRoi roiOf(List<PoseRoi> rois, float[] box) {
    double bx = box[0] + box[2] / 2.0;
    double by = box[1] + box[3] / 2.0;
    PoseRoi best = null;
    double nearest = Double.MAX_VALUE;
    for (PoseRoi r : rois) {
      boolean inside =
          r.centerX() >= box[0]
              && r.centerX() <= box[0] + box[2]
              && r.centerY() >= box[1]
              && r.centerY() <= box[1] + box[3];
      double d = Math.hypot(r.centerX() - bx, r.centerY() - by);
      if (inside && d < nearest) {
        best = r;
        nearest = d;
      }
    }
    return best;
  }

  /**
   * Features in a crop rotated by {@code angle}, with x, y and world x, y turned into the frame's
   * axes (the crop's (x, y) lies at R(angle) (x, y) from its centre: see CropWindow).
   */
  private static float[] unrotate(float[] f, double angle) {
    if (angle == 0) {
      return f;
    }
    float cos = (float) Math.cos(angle);
    float sin = (float) Math.sin(angle);
    float[] out = f.clone();
    for (int k = 0; k < PoseConditioning.TOKENS; k++) {
      int i = k * PoseConditioning.FEATURES;
      for (int a : new int[] {0, 5}) {
        out[i + a] = cos * f[i + a] - sin * f[i + a + 1];
        out[i + a + 1] = sin * f[i + a] + cos * f[i + a + 1];
      }
    }
    return out;
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
