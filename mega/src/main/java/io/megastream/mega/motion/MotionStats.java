package io.megastream.mega.motion;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.Joint;
import io.megastream.mega.body.Rotations;
import java.util.Arrays;

/** Statistics for checking synthetic motion: correlation, joint speeds, PCA. Stateless. */
public final class MotionStats {

  private MotionStats() {}

  /**
   * Pearson's correlation of two equally long series.
   *
   * @throws IllegalArgumentException if the lengths differ or are below 2
   */
  public static double pearson(double[] a, double[] b) {
    if (a.length != b.length || a.length < 2) {
      throw new IllegalArgumentException("need two series of equal length >= 2");
    }
    double ma = Arrays.stream(a).average().orElse(0);
    double mb = Arrays.stream(b).average().orElse(0);
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }

  /**
   * The angular speed of a joint's local rotation between consecutive frames, rad/s: the angle of
   * R_t^T R_t+1 times fps. Joint 0 is the body's global orientation.
   */
  public static double[] angularSpeeds(MotionClip clip, Joint joint) {
    int n = clip.frameCount();
    double[] out = new double[n - 1];
    double[] prev = rotation(clip.frame(0), joint);
    for (int t = 1; t < n; t++) {
      double[] cur = rotation(clip.frame(t), joint);
      double[] d = Rotations.multiply(Rotations.transpose(prev), cur);
      double cos = Math.max(-1, Math.min(1, (d[0] + d[4] + d[8] - 1) / 2));
      out[t - 1] = Math.acos(cos) * clip.fps();
      prev = cur;
    }
    return out;
  }

  /** The largest angular speed of any joint (the global orientation included) in a clip, rad/s. */
  public static double maxAngularSpeed(MotionClip clip) {
    double max = 0;
    for (Joint j : Joint.values()) {
      for (double s : angularSpeeds(clip, j)) {
        max = Math.max(max, s);
      }
    }
    return max;
  }

  /** The variances along the principal axes of samples (rows), largest first. */
  public static double[] principalVariances(double[][] samples) {
    int n = samples.length;
    int d = samples[0].length;
    double[] mean = new double[d];
    for (double[] s : samples) {
      for (int i = 0; i < d; i++) {
        mean[i] += s[i] / n;
      }
    }
    double[][] cov = new double[d][d];
    for (double[] s : samples) {
      for (int i = 0; i < d; i++) {
        for (int j = i; j < d; j++) {
          cov[i][j] += (s[i] - mean[i]) * (s[j] - mean[j]) / (n - 1);
        }
      }
    }
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < i; j++) {
        cov[i][j] = cov[j][i];
      }
    }
    double[] eig = jacobiEigenvalues(cov);
    Arrays.sort(eig);
    double[] out = new double[d];
    for (int i = 0; i < d; i++) {
      out[i] = Math.max(0, eig[d - 1 - i]);
    }
    return out;
  }

  /** How many principal components explain {@code fraction} of the samples' variance. */
  public static int componentsFor(double[][] samples, double fraction) {
    double[] v = principalVariances(samples);
    double total = Arrays.stream(v).sum();
    double sum = 0;
    for (int k = 0; k < v.length; k++) {
      sum += v[k];
      if (sum >= fraction * total) {
        return k + 1;
      }
    }
    return v.length;
  }

  private static double[] rotation(BodyParams p, Joint j) {
    double[] pose = p.pose();
    int i = j.ordinal() * 3;
    return Rotations.fromAxisAngle(pose[i], pose[i + 1], pose[i + 2]);
  }

  /** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations (modifies its argument). */
  private static double[] jacobiEigenvalues(double[][] a) {
    int n = a.length;
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          off += a[p][q] * a[p][q];
        }
      }
      if (off < 1e-22) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          if (Math.abs(a[p][q]) < 1e-300) {
            continue;
          }
          double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < n; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
          }
          for (int k = 0; k < n; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
          }
        }
      }
    }
    double[] eig = new double[n];
    for (int i = 0; i < n; i++) {
      eig[i] = a[i][i];
    }
    return eig;
  }
}
