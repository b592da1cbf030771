package io.megastream.mega.body;

/**
 * Rotation helpers on row-major 3x3 matrices stored in {@code double[9]}. Thread-safe (stateless).
 */
public final class Rotations {

  private Rotations() {}

  /** Rodrigues' formula: axis-angle (x, y, z; the angle is the length) to a rotation matrix. */
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
    // sin(angle) * axis from the antisymmetric part, cos(angle) from the trace; atan2 of the two
    // keeps the angle accurate near 0 and pi, where acos of the trace alone loses half the digits
    double sx = (r[7] - r[5]) / 2;
    double sy = (r[2] - r[6]) / 2;
    double sz = (r[3] - r[1]) / 2;
    double sin = Math.sqrt(sx * sx + sy * sy + sz * sz);
    double cos = (r[0] + r[4] + r[8] - 1) / 2;
    double angle = Math.atan2(sin, cos);
    if (cos > -0.5) {
      // angle below 120 degrees: the antisymmetric part gives the axis well
      double f = sin > 0 ? angle / sin : 1;
      return new double[] {sx * f, sy * f, sz * f};
    }
    // near pi the antisymmetric part vanishes: take the axis from the symmetric part,
    // (R + R^T) / 2 = cos I + (1 - cos) k k^T, starting from its largest diagonal entry (k_i^2 >=
    // 1/3), and its sign from the antisymmetric part (either sign is right at exactly pi)
    int i = r[0] >= r[4] && r[0] >= r[8] ? 0 : r[4] >= r[8] ? 1 : 2;
    double t = 1 - cos;
    double[] k = new double[3];
    k[i] = Math.sqrt(Math.max(0, (r[i * 4] - cos) / t));
    for (int j = 0; j < 3; j++) {
      if (j != i) {
        k[j] = (r[i * 3 + j] + r[j * 3 + i]) / (2 * t * k[i]);
      }
    }
    double norm = Math.sqrt(k[0] * k[0] + k[1] * k[1] + k[2] * k[2]);
    double f = (k[0] * sx + k[1] * sy + k[2] * sz < 0 ? -angle : angle) / norm;
    return new double[] {k[0] * f, k[1] * f, k[2] * f};
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

  /** A row-major 3 × 3 matrix held as floats (as results and labels carry it), in doubles. */
  public static double[] toDouble(float[] r) {
    double[] d = new double[r.length];
    for (int i = 0; i < r.length; i++) {
      d[i] = r[i];
    }
    return d;
  }

  /** Points (x, y, z, x, y, z, …) turned by {@code r}. */
  public static float[] rotate(float[] v, double[] r) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i += 3) {
      for (int a = 0; a < 3; a++) {
        out[i + a] = (float) (r[a * 3] * v[i] + r[a * 3 + 1] * v[i + 1] + r[a * 3 + 2] * v[i + 2]);
      }
    }
    return out;
  }

  /** Angle of the rotation between two rotation matrices, degrees. */
  public static double angleDeg(double[] a, double[] b) {
    double[] d = multiply(transpose(a), b);
    double cos = (d[0] + d[4] + d[8] - 1) / 2;
    return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cos))));
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
