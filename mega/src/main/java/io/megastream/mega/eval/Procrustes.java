package io.megastream.mega.eval;

/**
 * Similarity Procrustes alignment of 3D point sets: the rotation, scale and translation that best
 * map one set onto another in the least-squares sense (Horn's quaternion method; the rotation is
 * the eigenvector of the largest eigenvalue of a symmetric 4×4 matrix, found by Jacobi sweeps).
 */
public final class Procrustes {

  private Procrustes() {}

  /**
   * The rotation that best maps {@code x} onto {@code y} (n × 3 each) once both are centred: for
   * example a body's canonical joints onto the same joints seen in a camera frame.
   *
   * @return 3 × 3 rotation matrix, row-major
   */
  public static double[] rotation(double[][] x, double[][] y) {
    double[][] r = rotation(largestEigenvector(horn(x, y, mean(x), mean(y))));
    return new double[] {
      r[0][0], r[0][1], r[0][2], r[1][0], r[1][1], r[1][2], r[2][0], r[2][1], r[2][2]
    };
  }

  /**
   * A posed body's rotation from its canonical frame into a camera frame, from where its joints
   * are: the canonical joints (no global rotation) rigidly fitted to {@code cameraJoints}.
   *
   * @param canonicalJoints 24 × 3 joints of the body without its global rotation
   * @param cameraJoints the same 24 × 3 joints in the camera frame
   * @return 3 × 3 body-to-camera rotation, row-major
   */
  public static float[] bodyToCamera(float[] canonicalJoints, float[] cameraJoints) {
    int n = canonicalJoints.length / 3;
    double[][] from = new double[n][3];
    double[][] to = new double[n][3];
    for (int k = 0; k < n; k++) {
      for (int a = 0; a < 3; a++) {
        from[k][a] = canonicalJoints[k * 3 + a];
        to[k][a] = cameraJoints[k * 3 + a];
      }
    }
    double[] r = rotation(from, to);
    float[] out = new float[9];
    for (int i = 0; i < 9; i++) {
      out[i] = (float) r[i];
    }
    return out;
  }

  /** {@code x} mapped onto {@code y} (n × 3 each) by the best similarity transform. */
  static double[][] align(double[][] x, double[][] y) {
    int n = x.length;
    double[] mx = mean(x);
    double[] my = mean(y);
    double xx = 0;
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < 3; a++) {
        xx += (x[i][a] - mx[a]) * (x[i][a] - mx[a]);
      }
    }
    double[] q = largestEigenvector(horn(x, y, mx, my));
    double[][] r = rotation(q);
    double yrx = 0;
    double[][] rx = new double[n][3];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < 3; a++) {
        for (int b = 0; b < 3; b++) {
          rx[i][a] += r[a][b] * (x[i][b] - mx[b]);
        }
        yrx += (y[i][a] - my[a]) * rx[i][a];
      }
    }
    double scale = xx > 0 ? yrx / xx : 1;
    double[][] out = new double[n][3];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < 3; a++) {
        out[i][a] = scale * rx[i][a] + my[a];
      }
    }
    return out;
  }

  /** Horn's symmetric 4×4 matrix of the centred cross-covariance. */
  private static double[][] horn(double[][] x, double[][] y, double[] mx, double[] my) {
    double[][] s = new double[3][3];
    for (int i = 0; i < x.length; i++) {
      for (int a = 0; a < 3; a++) {
        for (int b = 0; b < 3; b++) {
          s[a][b] += (x[i][a] - mx[a]) * (y[i][b] - my[b]);
        }
      }
    }
    return new double[][] {
      {s[0][0] + s[1][1] + s[2][2], s[1][2] - s[2][1], s[2][0] - s[0][2], s[0][1] - s[1][0]},
      {s[1][2] - s[2][1], s[0][0] - s[1][1] - s[2][2], s[0][1] + s[1][0], s[2][0] + s[0][2]},
      {s[2][0] - s[0][2], s[0][1] + s[1][0], -s[0][0] + s[1][1] - s[2][2], s[1][2] + s[2][1]},
      {s[0][1] - s[1][0], s[2][0] + s[0][2], s[1][2] + s[2][1], -s[0][0] - s[1][1] + s[2][2]}
    };
  }

  private static double[] mean(double[][] p) {
    double[] m = new double[3];
    for (double[] v : p) {
      for (int a = 0; a < 3; a++) {
        m[a] += v[a] / p.length;
      }
    }
    return m;
  }

  /** Rotation matrix of a unit quaternion (w, x, y, z). */
  private static double[][] rotation(double[] q) {
    double w = q[0];
    double x = q[1];
    double y = q[2];
    double z = q[3];
    return new double[][] {
      {w * w + x * x - y * y - z * z, 2 * (x * y - w * z), 2 * (x * z + w * y)},
      {2 * (x * y + w * z), w * w - x * x + y * y - z * z, 2 * (y * z - w * x)},
      {2 * (x * z - w * y), 2 * (y * z + w * x), w * w - x * x - y * y + z * z}
    };
  }

  /** Eigenvector of the largest eigenvalue of a symmetric 4×4 matrix (cyclic Jacobi). */
  private static double[] largestEigenvector(double[][] m) {
    double[][] a = new double[4][4];
    double[][] v = new double[4][4];
    for (int i = 0; i < 4; i++) {
      a[i] = m[i].clone();
      v[i][i] = 1;
    }
    for (int sweep = 0; sweep < 50; sweep++) {
      double off = 0;
      for (int p = 0; p < 4; p++) {
        for (int q = p + 1; q < 4; q++) {
          off += a[p][q] * a[p][q];
        }
      }
      if (off < 1e-22) {
        break;
      }
      for (int p = 0; p < 4; p++) {
        for (int q = p + 1; q < 4; q++) {
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
          for (int k = 0; k < 4; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
          }
          for (int k = 0; k < 4; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
          }
          for (int k = 0; k < 4; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
          }
        }
      }
    }
    int best = 0;
    for (int i = 1; i < 4; i++) {
      if (a[i][i] > a[best][best]) {
        best = i;
      }
    }
    double[] q = {v[0][best], v[1][best], v[2][best], v[3][best]};
    double norm = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
    for (int i = 0; i < 4; i++) {
      q[i] /= norm;
    }
    return q;
  }
}
