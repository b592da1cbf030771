package io.megastream.mega.body;

/**
 * Anatomical range of motion per joint, as bounds on the joint's local rotation expressed as
 * intrinsic X-Y-Z Euler angles in the body frame (x: the body's left, y: up, z: forward). Knees and
 * elbows hinge one way only. Ranges follow published adult range-of-motion tables, widened slightly
 * for athletes. Thread-safe (immutable).
 */
public final class JointLimits {

  /** Bounds of one joint: min and max per Euler axis, radians. */
  public record Range(
      double minX, double maxX, double minY, double maxY, double minZ, double maxZ) {

    /** Whether the Euler angles are inside (with a tolerance in radians). */
    public boolean contains(double[] euler, double tolerance) {
      return euler[0] >= minX - tolerance
          && euler[0] <= maxX + tolerance
          && euler[1] >= minY - tolerance
          && euler[1] <= maxY + tolerance
          && euler[2] >= minZ - tolerance
          && euler[2] <= maxZ + tolerance;
    }

    /** The Euler angles clamped into the range. */
    public double[] clamp(double[] euler) {
      return new double[] {
        Math.max(minX, Math.min(maxX, euler[0])),
        Math.max(minY, Math.min(maxY, euler[1])),
        Math.max(minZ, Math.min(maxZ, euler[2]))
      };
    }
  }

  private static final Range[] RANGES = new Range[Joint.COUNT];

  static {
    double d = Math.PI / 180;
    // global orientation: unconstrained
    RANGES[Joint.PELVIS.ordinal()] =
        new Range(-Math.PI, Math.PI, -Math.PI, Math.PI, -Math.PI, Math.PI);
    // hips: a positive rotation about +x tips +y toward +z, i.e. swings the lower limb (pointing
    // -y) backwards; flexion (leg forward) is negative x.
    Range leftHip = new Range(-125 * d, 30 * d, -45 * d, 45 * d, -20 * d, 50 * d);
    RANGES[Joint.LEFT_HIP.ordinal()] = leftHip;
    RANGES[Joint.RIGHT_HIP.ordinal()] = mirror(leftHip);
    // knees hinge backwards only: positive x bends the shin back (heel toward buttock)
    Range knee = new Range(0, 150 * d, -5 * d, 5 * d, -5 * d, 5 * d);
    RANGES[Joint.LEFT_KNEE.ordinal()] = knee;
    RANGES[Joint.RIGHT_KNEE.ordinal()] = knee;
    Range leftAnkle = new Range(-30 * d, 50 * d, -20 * d, 20 * d, -20 * d, 25 * d);
    RANGES[Joint.LEFT_ANKLE.ordinal()] = leftAnkle;
    RANGES[Joint.RIGHT_ANKLE.ordinal()] = mirror(leftAnkle);
    Range foot = new Range(-30 * d, 30 * d, -5 * d, 5 * d, -5 * d, 5 * d);
    RANGES[Joint.LEFT_FOOT.ordinal()] = foot;
    RANGES[Joint.RIGHT_FOOT.ordinal()] = foot;
    // spine: three segments share flexion (forward = positive x), extension, bend, twist
    Range spine = new Range(-15 * d, 40 * d, -25 * d, 25 * d, -20 * d, 20 * d);
    RANGES[Joint.SPINE1.ordinal()] = spine;
    RANGES[Joint.SPINE2.ordinal()] = spine;
    RANGES[Joint.SPINE3.ordinal()] = spine;
    RANGES[Joint.NECK.ordinal()] = new Range(-40 * d, 45 * d, -60 * d, 60 * d, -35 * d, 35 * d);
    RANGES[Joint.HEAD.ordinal()] = new Range(-25 * d, 30 * d, -25 * d, 25 * d, -15 * d, 15 * d);
    Range leftCollar = new Range(-15 * d, 15 * d, -20 * d, 20 * d, -10 * d, 30 * d);
    RANGES[Joint.LEFT_COLLAR.ordinal()] = leftCollar;
    RANGES[Joint.RIGHT_COLLAR.ordinal()] = mirror(leftCollar);
    // shoulders: the rest pose is a T-pose (the left arm along +x). R = Rx Ry Rz acts on the arm
    // z first: z raises (+) or lowers (-) the left arm in the frontal plane (hanging at the side:
    // z = -90 deg); then y turns it about the vertical (negative y: forward for a raised left arm,
    // an inward twist for a hanging one); then x swings it about the left-right axis (negative x:
    // forward for a hanging arm, on both sides; for an arm held out sideways x is a twist).
    Range leftShoulder = new Range(-90 * d, 90 * d, -120 * d, 60 * d, -100 * d, 100 * d);
    RANGES[Joint.LEFT_SHOULDER.ordinal()] = leftShoulder;
    RANGES[Joint.RIGHT_SHOULDER.ordinal()] = mirror(leftShoulder);
    // elbows hinge one way: the left forearm (along +x) folds toward +z, i.e. negative y
    Range leftElbow = new Range(-60 * d, 60 * d, -150 * d, 0, -5 * d, 5 * d);
    RANGES[Joint.LEFT_ELBOW.ordinal()] = leftElbow;
    RANGES[Joint.RIGHT_ELBOW.ordinal()] = mirror(leftElbow);
    Range leftWrist = new Range(-40 * d, 40 * d, -30 * d, 30 * d, -70 * d, 70 * d);
    RANGES[Joint.LEFT_WRIST.ordinal()] = leftWrist;
    RANGES[Joint.RIGHT_WRIST.ordinal()] = mirror(leftWrist);
    Range hand = new Range(-10 * d, 10 * d, -10 * d, 10 * d, -30 * d, 30 * d);
    RANGES[Joint.LEFT_HAND.ordinal()] = hand;
    RANGES[Joint.RIGHT_HAND.ordinal()] = mirror(hand);
  }

  private JointLimits() {}

  /** The range of a joint. */
  public static Range of(Joint joint) {
    return RANGES[joint.ordinal()];
  }

  /**
   * Mirrors a left-side range to the right side: reflecting through the x = 0 plane keeps rotations
   * about x and negates rotations about y and z.
   */
  static Range mirror(Range r) {
    return new Range(r.minX(), r.maxX(), -r.maxY(), -r.minY(), -r.maxZ(), -r.minZ());
  }

  /** Intrinsic X-Y-Z Euler angles of a rotation matrix: R = Rx(a) * Ry(b) * Rz(c). */
  public static double[] toEulerXyz(double[] r) {
    double b = Math.asin(Math.max(-1, Math.min(1, r[2])));
    double a;
    double c;
    if (Math.abs(r[2]) < 0.999999) {
      a = Math.atan2(-r[5], r[8]);
      c = Math.atan2(-r[1], r[0]);
    } else {
      a = Math.atan2(r[7], r[4]);
      c = 0;
    }
    return new double[] {a, b, c};
  }

  /** The rotation matrix of intrinsic X-Y-Z Euler angles: R = Rx(a) * Ry(b) * Rz(c). */
  public static double[] fromEulerXyz(double a, double b, double c) {
    double[] rx = Rotations.fromAxisAngle(a, 0, 0);
    double[] ry = Rotations.fromAxisAngle(0, b, 0);
    double[] rz = Rotations.fromAxisAngle(0, 0, c);
    return Rotations.multiply(Rotations.multiply(rx, ry), rz);
  }

  /**
   * The intrinsic X-Y-Z Euler angles of a rotation matrix that lie inside, or nearest to, the
   * joint's range. Every rotation has two decompositions, (a, b, c) and (a + pi, pi - b, c + pi);
   * {@link #toEulerXyz(double[])} returns the one with |b| <= 90 deg, but a hinge about y bent past
   * 90 deg (an elbow's flexion goes to 150 deg) is inside its range only by the other.
   */
  public static double[] toEulerXyz(Joint joint, double[] r) {
    double[] principal = toEulerXyz(r);
    double[] other = {
      wrap(principal[0] + Math.PI),
      wrap((principal[1] < 0 ? -Math.PI : Math.PI) - principal[1]),
      wrap(principal[2] + Math.PI)
    };
    Range range = of(joint);
    return excess(range, other) < excess(range, principal) ? other : principal;
  }

  /** Whether a joint's axis-angle rotation is within its range (by either Euler decomposition). */
  public static boolean within(Joint joint, double x, double y, double z, double tolerance) {
    return of(joint).contains(toEulerXyz(joint, Rotations.fromAxisAngle(x, y, z)), tolerance);
  }

  /** Squared distance of Euler angles from a range, 0 inside. */
  private static double excess(Range r, double[] e) {
    double dx = Math.max(0, Math.max(r.minX() - e[0], e[0] - r.maxX()));
    double dy = Math.max(0, Math.max(r.minY() - e[1], e[1] - r.maxY()));
    double dz = Math.max(0, Math.max(r.minZ() - e[2], e[2] - r.maxZ()));
    return dx * dx + dy * dy + dz * dz;
  }

  private static double wrap(double angle) {
    return Math.atan2(Math.sin(angle), Math.cos(angle));
  }
}
