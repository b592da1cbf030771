package io.megastream.mega.eval;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.Rotations;
import io.megastream.mega.model.MegaGenerator;
import io.megastream.mega.model.MegaModel;
import io.megastream.mega.model.Uncertainty;
import io.megastream.mega.tokenizer.MeshBatches;
import io.megastream.mega.tokenizer.TokenizerModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates a conditioned MEGA model the paper's way on cases with known truth: the deterministic
 * mode's PVE, MPJPE and PA-MPJPE (meshes rotated into the camera frame, pelvis-aligned), the
 * rotation error, and, when sampling is asked for, min-of-Q and mean-of-Q PVE with the samples'
 * uncertainty; plus how well the deterministic pass's cheap signals (1 − confidence, entropy) track
 * the stochastic uncertainty and the real error (Pearson correlation). Millimetres.
 */
public final class MegaEvaluation {

  /**
   * One evaluation case.
   *
   * @param features conditioning features
   * @param truth the true body (its root rotation is ignored: see {@code rotation})
   * @param rotation true 3×3 body-to-camera rotation, row-major; null if unknown (then the errors
   *     are measured on canonical meshes and the rotation error is not counted)
   */
  public record Case(float[] features, BodyParams truth, float[] rotation) {}

  /** Results; stochastic fields are NaN when sampling was not run. */
  public record Report(
      int cases,
      double pveMm,
      double mpjpeMm,
      double paMpjpeMm,
      double canonicalPveMm,
      double rotationErrorDeg,
      double rotationMedianDeg,
      double landmarkMpjpeMm,
      double landmarkPaMpjpeMm,
      double minOfQPveMm,
      double meanOfQPveMm,
      double meanUncertaintyMm,
      double corrConfidenceError,
      double corrEntropyError,
      double corrConfidenceUncertainty,
      double corrUncertaintyError,
      double deterministicMsPerCase,
      double stochasticMsPerCase,
      double[] lowConfidence) {

    /** The q-quantile of 1 − confidence over the cases. */
    public double lowConfidenceQuantile(double q) {
      double[] sorted = lowConfidence.clone();
      java.util.Arrays.sort(sorted);
      return sorted.length == 0
          ? Double.NaN
          : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)];
    }

    /** Share of cases whose 1 − confidence exceeds a threshold (they would be sampled). */
    public double shareAbove(double threshold) {
      long n = java.util.Arrays.stream(lowConfidence).filter(v -> v > threshold).count();
      return lowConfidence.length == 0 ? Double.NaN : (double) n / lowConfidence.length;
    }
  }

  private MegaEvaluation() {}

  /**
   * Runs the evaluation.
   *
   * @param sampling stochastic mode to evaluate too, or null for the deterministic mode only
   */
  public static Report run(
      MegaModel mega,
      TokenizerModel tokenizer,
      List<Case> cases,
      MegaGenerator.Sampling sampling,
      long seed) {
    MeshMetrics metrics = new MeshMetrics(tokenizer.body());
    MeshBatches meshes = new MeshBatches(tokenizer.body(), tokenizer.config().scale());
    MegaGenerator generator = new MegaGenerator(mega);
    int n = cases.size();
    double[] error = new double[n];
    double[] lowConfidence = new double[n];
    double[] entropy = new double[n];
    double[] uncertainty = new double[n];
    double mpjpe = 0;
    double pa = 0;
    double canonical = 0;
    double rotation = 0;
    int rotated = 0;
    double[] rotationErrors = new double[n];
    double landmarkMpjpe = 0;
    double landmarkPa = 0;
    double minQ = 0;
    double meanQ = 0;
    long detNanos = 0;
    long stochNanos = 0;
    for (int start = 0; start < n; start += 32) {
      List<Case> part = cases.subList(start, Math.min(n, start + 32));
      float[][] cond = new float[part.size()][];
      for (int i = 0; i < part.size(); i++) {
        cond[i] = part.get(i).features();
      }
      long t0 = System.nanoTime();
      MegaGenerator.Prediction[] p = generator.deterministic(cond);
      int[][] tokens = new int[p.length][];
      for (int i = 0; i < p.length; i++) {
        tokens[i] = p[i].tokens();
      }
      List<float[]> decoded = tokenizer.decode(tokens);
      detNanos += System.nanoTime() - t0;
      for (int i = 0; i < part.size(); i++) {
        Case c = part.get(i);
        int k = start + i;
        float[] truthCanonical = meshes.canonicalMesh(c.truth());
        double[] predictedRotation = Rotations.from6d(sixD(p[i].rotCam()));
        boolean posed = c.rotation() != null;
        float[] truth =
            posed
                ? Rotations.rotate(truthCanonical, Rotations.toDouble(c.rotation()))
                : truthCanonical;
        float[] predicted =
            posed ? Rotations.rotate(decoded.get(i), predictedRotation) : decoded.get(i);
        double[] sampleRotation = posed ? predictedRotation : Rotations.fromAxisAngle(0, 0, 0);
        error[k] = metrics.pve(predicted, truth);
        mpjpe += metrics.mpjpe(predicted, truth);
        pa += metrics.paMpjpe(decoded.get(i), truthCanonical);
        canonical += metrics.pve(decoded.get(i), truthCanonical);
        float[] truthLandmarks = metrics.landmarks(truth);
        if (truthLandmarks != null) {
          double[] lm = metrics.landmarkErrors(metrics.landmarks(predicted), truthLandmarks);
          landmarkMpjpe += lm[0];
          landmarkPa += lm[1];
        }
        if (posed) {
          rotationErrors[rotated] =
              Rotations.angleDeg(predictedRotation, Rotations.toDouble(c.rotation()));
          rotation += rotationErrors[rotated];
          rotated++;
        }
        lowConfidence[k] = 1 - p[i].confidence();
        entropy[k] = p[i].entropy();
        if (sampling != null) {
          long t1 = System.nanoTime();
          int[][] samples = generator.sample(c.features(), sampling, seed + k);
          List<float[]> sampleMeshes = tokenizer.decode(samples);
          stochNanos += System.nanoTime() - t1;
          uncertainty[k] = Uncertainty.of(sampleMeshes).meanStdMm();
          double best = Double.MAX_VALUE;
          double sum = 0;
          for (float[] s : sampleMeshes) {
            double e = metrics.pve(Rotations.rotate(s, sampleRotation), truth);
            best = Math.min(best, e);
            sum += e;
          }
          minQ += best;
          meanQ += sum / sampleMeshes.size();
        }
      }
    }
    boolean s = sampling != null;
    return new Report(
        n,
        mean(error),
        mpjpe / n,
        pa / n,
        canonical / n,
        rotated == 0 ? Double.NaN : rotation / rotated,
        median(java.util.Arrays.copyOf(rotationErrors, rotated)),
        tokenizer.body().landmarks() == null ? Double.NaN : landmarkMpjpe / n,
        tokenizer.body().landmarks() == null ? Double.NaN : landmarkPa / n,
        s ? minQ / n : Double.NaN,
        s ? meanQ / n : Double.NaN,
        s ? mean(uncertainty) : Double.NaN,
        pearson(lowConfidence, error),
        pearson(entropy, error),
        s ? pearson(lowConfidence, uncertainty) : Double.NaN,
        s ? pearson(uncertainty, error) : Double.NaN,
        detNanos / 1e6 / n,
        s ? stochNanos / 1e6 / n : Double.NaN,
        lowConfidence);
  }

  /** Pearson correlation; NaN when either side is constant or shorter than two. */
  static double pearson(double[] a, double[] b) {
    return a.length < 2 ? Double.NaN : io.megastream.mega.motion.MotionStats.pearson(a, b);
  }

  /** The median of {@code values} (NaN if empty); sorts them in place. */
  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    java.util.Arrays.sort(values);
    int m = values.length / 2;
    return values.length % 2 == 1 ? values[m] : (values[m - 1] + values[m]) / 2;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return v.length == 0 ? Double.NaN : s / v.length;
  }

  static double[] sixD(float[] rotCam) {
    double[] d = new double[6];
    for (int i = 0; i < 6; i++) {
      d[i] = rotCam[i];
    }
    return d;
  }

  /** Cases from synthetic conditioning of bodies (held-out motion), for the benchmark table. */
  public static List<Case> synthetic(
      io.megastream.mega.pose.PoseConditioning conditioning,
      List<BodyParams> bodies,
      java.util.Random random) {
    List<Case> out = new ArrayList<>();
    for (BodyParams b : bodies) {
      var s = conditioning.synthesize(b, random);
      out.add(new Case(s.features(), b, s.rotation()));
    }
    return out;
  }
}
