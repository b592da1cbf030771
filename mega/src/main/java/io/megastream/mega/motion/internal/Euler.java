package io.megastream.mega.motion.internal;

/**
 * Rotation arithmetic for the generator, on {@link StrictMath} so that a seed gives bit-identical
 * clips on every JVM. Joint rotations are intrinsic X-Y-Z Euler angles, R = Rx(a) Ry(b) Rz(c), as
 * in {@code JointLimits}; the body's orientation is R = Ry(heading) Rx(pitch) Rz(roll). Stateless.
 */
public final class Euler {

  private Euler() {}

  /** The row-major matrix of R = Rx(a) Ry(b) Rz(c). */
  public static double[] matrix(double a, double b, double c) {
    double ca = StrictMath.cos(a);
    double sa = StrictMath.sin(a);
    double cb = StrictMath.cos(b);
    double sb = StrictMath.sin(b);
    double cc = StrictMath.cos(c);
    double sc = StrictMath.sin(c);
    return new double[] {
      cb * cc,
      -cb * sc,
      sb,
      ca * sc + sa * sb * cc,
      ca * cc - sa * sb * sc,
      -sa * cb,
      sa * sc - ca * sb * cc,
      sa * cc + ca * sb * sc,
      ca * cb
    };
  }

  /** The row-major matrix of the body's orientation R = Ry(heading) Rx(pitch) Rz(roll). */
  public static double[] orientationMatrix(double pitch, double heading, double roll) {
    double ch = StrictMath.cos(heading);
    double sh = StrictMath.sin(heading);
    double[] ry = {ch, 0, sh, 0, 1, 0, -sh, 0, ch};
    return multiply(ry, matrix(pitch, 0, roll));
  }

  /** Axis-angle (angle in [0, pi]) of R = Rx(a) Ry(b) Rz(c). */
  public static double[] axisAngle(double a, double b, double c) {
    return toAxisAngle(multiply(quatX(a), multiply(quatY(b), quatZ(c))));
  }

  /** Axis-angle (angle in [0, pi]) of the body's orientation R = Ry(heading) Rx(pitch) Rz(roll). */
  public static double[] orientationAxisAngle(double pitch, double heading, double roll) {
    return toAxisAngle(multiply(quatY(heading), multiply(quatX(pitch), quatZ(roll))));
  }

  /** a x b for 3x3 matrices (length 9) or quaternions (length 4, w first). */
  static double[] multiply(double[] a, double[] b) {
    if (a.length == 4) {
      return new double[] {
        a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3],
        a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2],
        a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1],
        a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0]
      };
    }
    double[] c = new double[9];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        c[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
      }
    }
    return c;
  }

  /** m v for a 3x3 matrix. */
  static double[] apply(double[] m, double[] v) {
    return new double[] {
      m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
      m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
      m[6] * v[0] + m[7] * v[1] + m[8] * v[2]
    };
  }

  private static double[] quatX(double a) {
    return new double[] {StrictMath.cos(a / 2), StrictMath.sin(a / 2), 0, 0};
  }

  private static double[] quatY(double a) {
    return new double[] {StrictMath.cos(a / 2), 0, StrictMath.sin(a / 2), 0};
  }

  private static double[] quatZ(double a) {
    return new double[] {StrictMath.cos(a / 2), 0, 0, StrictMath.sin(a / 2)};
  }

  private static double[] toAxisAngle(double[] q) {
    double sign = q[0] < 0 ? -1 : 1; // q and -q are one rotation; take the angle <= pi
    double x = sign * q[1];
    double y = sign * q[2];
    double z = sign * q[3];
    double s = StrictMath.sqrt(x * x + y * y + z * z);
    if (s < 1e-12) {
      return new double[] {2 * x, 2 * y, 2 * z};
    }
    double angle = 2 * StrictMath.atan2(s, sign * q[0]);
    return new double[] {x / s * angle, y / s * angle, z / s * angle};
  }
}
