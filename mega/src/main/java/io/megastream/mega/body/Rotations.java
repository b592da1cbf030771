package io.megastream.mega.body;

/**
 * Rotation helpers on row-major 3x3 matrices stored in {@code double[9]}. Thread-safe (stateless).
 */
public final class Rotations {

  private Rotations() {}

  /** Rodrigues' formula: axis-angle (x, y, z at {@code offset}) to a rotation matrix. */
  public static double[] fromAxisAngle(double x, double y, double z) {
    double angle = Math.sqrt(x * x + y * y + z * z);
    double[] r = new double[9];
    if (angle < 1e-12) {
      r[0] = r[4] = r[8] = 1;
      return r;
    }
    double kx = x / angle;
    double ky = y / angle;
    double kz = z / angle;
    double c = Math.cos(angle);
    double s = Math.sin(angle);
    double t = 1 - c;
    r[0] = c + kx * kx * t;
    r[1] = kx * ky * t - kz * s;
    r[2] = kx * kz * t + ky * s;
    r[3] = ky * kx * t + kz * s;
    r[4] = c + ky * ky * t;
    r[5] = ky * kz * t - kx * s;
    r[6] = kz * kx * t - ky * s;
    r[7] = kz * ky * t + kx * s;
    r[8] = c + kz * kz * t;
    return r;
  }

  /** Inverse of Rodrigues: a rotation matrix to axis-angle (angle in [0, pi]). */
  public static double[] toAxisAngle(double[] r) {
    double cos = Math.max(-1, Math.min(1, (r[0] + r[4] + r[8] - 1) / 2));
    double angle = Math.acos(cos);
    if (angle < 1e-9) {
      return new double[3];
    }
    if (Math.PI - angle < 1e-6) {
      // near pi: axis from the diagonal
      double x = Math.sqrt(Math.max(0, (r[0] + 1) / 2));
      double y = Math.sqrt(Math.max(0, (r[4] + 1) / 2));
      double z = Math.sqrt(Math.max(0, (r[8] + 1) / 2));
      if (r[1] < 0) {
        y = -y;
      }
      if (r[2] < 0) {
        z = -z;
      }
      return new double[] {x * angle, y * angle, z * angle};
    }
    double s = 2 * Math.sin(angle);
    return new double[] {
      (r[7] - r[5]) / s * angle, (r[2] - r[6]) / s * angle, (r[3] - r[1]) / s * angle
    };
  }

  /** a x b. */
  public static double[] multiply(double[] a, double[] b) {
    double[] c = new double[9];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        c[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
      }
    }
    return c;
  }

  /** The transpose (the inverse of a rotation). */
  public static double[] transpose(double[] a) {
    return new double[] {a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]};
  }

  /** The 6D representation: the first two columns, (r00, r10, r20, r01, r11, r21). */
  public static double[] to6d(double[] r) {
    return new double[] {r[0], r[3], r[6], r[1], r[4], r[7]};
  }

  /** Gram-Schmidt from the 6D representation back to a rotation matrix. */
  public static double[] from6d(double[] d) {
    double[] a = normalize(new double[] {d[0], d[1], d[2]});
    double[] b = {d[3], d[4], d[5]};
    double dot = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    b = normalize(new double[] {b[0] - dot * a[0], b[1] - dot * a[1], b[2] - dot * a[2]});
    double[] c = {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    return new double[] {a[0], b[0], c[0], a[1], b[1], c[1], a[2], b[2], c[2]};
  }

  private static double[] normalize(double[] v) {
    double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    if (n < 1e-12) {
      throw new IllegalArgumentException("degenerate 6D rotation");
    }
    return new double[] {v[0] / n, v[1] / n, v[2] / n};
  }
}
