package io.megastream.mega.motion.internal;

import static io.megastream.mega.body.Joint.HEAD;
import static io.megastream.mega.body.Joint.LEFT_ANKLE;
import static io.megastream.mega.body.Joint.LEFT_COLLAR;
import static io.megastream.mega.body.Joint.LEFT_ELBOW;
import static io.megastream.mega.body.Joint.LEFT_FOOT;
import static io.megastream.mega.body.Joint.LEFT_HIP;
import static io.megastream.mega.body.Joint.LEFT_KNEE;
import static io.megastream.mega.body.Joint.LEFT_SHOULDER;
import static io.megastream.mega.body.Joint.LEFT_WRIST;
import static io.megastream.mega.body.Joint.NECK;
import static io.megastream.mega.body.Joint.PELVIS;
import static io.megastream.mega.body.Joint.SPINE1;
import static io.megastream.mega.body.Joint.SPINE2;
import static io.megastream.mega.body.Joint.SPINE3;

import io.megastream.mega.body.Joint;
import io.megastream.mega.body.JointLimits;

/**
 * A body pose in anatomical terms. It stores, per joint, the intrinsic X-Y-Z Euler angles that
 * {@link JointLimits} bounds, and in joint 0's slots the body's pitch, heading and roll. The
 * setters take degrees and name the movement (flexion, abduction, ...), so the sign conventions
 * live here once; each takes the left side's convention and mirrors it for the right (x kept, y and
 * z negated). Setters overwrite only the angles they name. Mutable; not thread-safe.
 *
 * <p>Conventions, checked numerically in {@code PoseTest}: x is the body's left, y up, z forward.
 * Hip flexion is negative x, knee flexion positive x, ankle dorsiflexion negative x, spine and neck
 * flexion positive x. The shoulder's R = Rx Ry Rz acts on the arm z first: z raises the arm in the
 * frontal plane (hanging at the side is -90 deg on the left), y turns it inward about the vertical,
 * x swings it about the left-right axis (negative is forward for a hanging arm). Elbow flexion is
 * negative y on the left.
 */
public final class Pose {

  /** Values per pose: 24 joints x 3 Euler angles (joint 0: pitch, heading, roll). */
  public static final int SIZE = Joint.COUNT * 3;

  private static final double DEG = Math.PI / 180;
  private static final Joint[] SPINE = {SPINE1, SPINE2, SPINE3};

  private final double[] v;

  private Pose(double[] values) {
    this.v = values;
  }

  /** SMPL's rest pose: a T-pose, facing +z. */
  public static Pose zero() {
    return new Pose(new double[SIZE]);
  }

  /** A relaxed stance: feet under the hips, toes slightly out, arms hanging, elbows soft. */
  public static Pose standing() {
    Pose p = zero();
    for (Side s : Side.values()) {
      p.hip(s, 0, 3, 6).knee(s, 3).footFlat(s).arm(s, 0, 8, 0).elbow(s, 12);
    }
    return p;
  }

  /** A pose from its 72 values (radians). */
  public static Pose of(double[] values) {
    if (values.length != SIZE) {
      throw new IllegalArgumentException("a pose has 72 values, got " + values.length);
    }
    return new Pose(values.clone());
  }

  /** One value (radians): joint * 3 + axis. */
  public double get(int index) {
    return v[index];
  }

  /** Sets one value (radians): joint * 3 + axis. */
  public Pose set(int index, double radians) {
    v[index] = radians;
    return this;
  }

  /** The Euler angles (radians) of one joint, a copy. */
  public double[] euler(Joint j) {
    int i = j.ordinal() * 3;
    return new double[] {v[i], v[i + 1], v[i + 2]};
  }

  public Pose copy() {
    return new Pose(v.clone());
  }

  /** (1 - w) this + w other, value by value. */
  public Pose blend(Pose other, double w) {
    double[] out = new double[SIZE];
    for (int i = 0; i < SIZE; i++) {
      out[i] = (1 - w) * v[i] + w * other.v[i];
    }
    return new Pose(out);
  }

  /** This pose plus {@code scale} times the difference {@code to - from}. */
  public Pose plus(Pose from, Pose to, double scale) {
    double[] out = v.clone();
    for (int i = 0; i < SIZE; i++) {
      out[i] += scale * (to.v[i] - from.v[i]);
    }
    return new Pose(out);
  }

  /** The mirror image: left and right swapped, turning and leaning sideways reversed. */
  public Pose mirrored() {
    double[] out = new double[SIZE];
    for (Joint j : Joint.values()) {
      int from = j.ordinal() * 3;
      int to = j.mirror().ordinal() * 3;
      out[to] = v[from];
      out[to + 1] = -v[from + 1];
      out[to + 2] = -v[from + 2];
    }
    return new Pose(out);
  }

  /** Every joint clamped into its {@link JointLimits} range, in Euler space. */
  public Pose clampToLimits() {
    double[] out = v.clone();
    for (int j = 1; j < Joint.COUNT; j++) {
      double[] e =
          JointLimits.of(Joint.of(j)).clamp(new double[] {v[j * 3], v[j * 3 + 1], v[j * 3 + 2]});
      System.arraycopy(e, 0, out, j * 3, 3);
    }
    return new Pose(out);
  }

  // ---- the whole body

  /** Heading: positive turns the body to its left (about +y). */
  public Pose heading(double deg) {
    v[PELVIS.ordinal() * 3 + 1] = deg * DEG;
    return this;
  }

  public double heading() {
    return v[PELVIS.ordinal() * 3 + 1] / DEG;
  }

  /** Pitch: positive tips the whole body forward (about +x), e.g. leaning into a stoop. */
  public Pose pitch(double deg) {
    v[PELVIS.ordinal() * 3] = deg * DEG;
    return this;
  }

  public double pitch() {
    return v[PELVIS.ordinal() * 3] / DEG;
  }

  /** Roll: positive lifts the body's left side (about +z), i.e. leans it to its right. */
  public Pose roll(double deg) {
    v[PELVIS.ordinal() * 3 + 2] = deg * DEG;
    return this;
  }

  // ---- legs

  /** Hip flexion (thigh forward), abduction (thigh out to the side) and outward rotation. */
  public Pose hip(Side s, double flex, double abduct, double rotateOut) {
    return sided(LEFT_HIP, s, -flex, rotateOut, abduct);
  }

  public Pose hipFlex(Side s, double flex) {
    return sided(LEFT_HIP, s, 0, -flex);
  }

  public double hipFlex(Side s) {
    return -sidedGet(LEFT_HIP, s, 0);
  }

  /** Knee flexion: the heel moves toward the buttock. */
  public Pose knee(Side s, double flex) {
    return sided(LEFT_KNEE, s, 0, flex);
  }

  public double knee(Side s) {
    return sidedGet(LEFT_KNEE, s, 0);
  }

  /** Ankle dorsiflexion (toes up); negative is plantarflexion (toes down, up on the toes). */
  public Pose ankle(Side s, double dorsiflex) {
    return sided(LEFT_ANKLE, s, 0, -dorsiflex);
  }

  public double ankle(Side s) {
    return -sidedGet(LEFT_ANKLE, s, 0);
  }

  /** Toe extension at the ball of the foot (toes bent up, as in push-off). */
  public Pose toes(Side s, double extend) {
    return sided(LEFT_FOOT, s, 0, -extend);
  }

  /**
   * Places a leg by its segments in the sagittal plane, with the foot flat on the floor: the thigh
   * {@code thighForward} degrees in front of vertical (knee ahead of the hip), the shin {@code
   * shinLean} degrees from vertical with the knee ahead of the ankle. Uses the current pitch, so
   * set that first. Squat: thigh ~95, shin ~30; sitting on the floor with knees up: thigh ~120,
   * shin -30.
   */
  public Pose leg(Side s, double thighForward, double shinLean) {
    hipFlex(s, thighForward + pitch());
    knee(s, thighForward + shinLean);
    return footFlat(s);
  }

  /**
   * Sets the ankle so the sole is level with the floor: its pitch so the foot points horizontally,
   * then its roll so the foot does not tilt sideways, for the current orientation, hip and knee.
   */
  public Pose footFlat(Side s) {
    Joint ankle = s == Side.LEFT ? LEFT_ANKLE : LEFT_ANKLE.mirror();
    int i = ankle.ordinal() * 3;
    double[] shin = Skeleton.rotation(this, ankle.parent());
    // pitch a: the world y of shin * Rx(a) * Ry(b) Rz(c) * forward is A cos a + B sin a + C = 0
    double[] w = Euler.apply(Euler.matrix(0, v[i + 1], v[i + 2]), new double[] {0, 0, 1});
    double a = shin[4] * w[1] + shin[5] * w[2];
    double b = shin[5] * w[1] - shin[4] * w[2];
    double c = shin[3] * w[0];
    double phi = StrictMath.atan2(b, a);
    double delta = StrictMath.acos(Math.max(-1, Math.min(1, -c / Math.hypot(a, b))));
    double first = wrap(phi + delta);
    double second = wrap(phi - delta);
    v[i] = Math.abs(first) < Math.abs(second) ? first : second;
    // roll: the world y of the foot's sideways axis is 0; turning about the foot's own long axis
    // (the innermost Rz) leaves its pitch alone
    double[] n = Euler.multiply(shin, Euler.matrix(v[i], v[i + 1], 0));
    v[i + 2] = Math.abs(n[4]) < 1e-12 ? 0 : StrictMath.atan(-n[3] / n[4]);
    return this;
  }

  private static double wrap(double angle) {
    return StrictMath.atan2(StrictMath.sin(angle), StrictMath.cos(angle));
  }

  // ---- trunk and head

  /** Spine flexion (forward), twist (shoulders turned to the left) and bend (to the left). */
  public Pose spine(double flex, double twistLeft, double bendLeft) {
    for (Joint j : SPINE) {
      set(j, flex / 3, twistLeft / 3, -bendLeft / 3);
    }
    return this;
  }

  public double spineFlex() {
    double sum = 0;
    for (Joint j : SPINE) {
      sum += v[j.ordinal() * 3];
    }
    return sum / DEG;
  }

  /** Neck and head together: flexion (chin down), turn (to the left), tilt (ear to the left). */
  public Pose neck(double flex, double turnLeft, double tiltLeft) {
    set(NECK, 0.6 * flex, 0.6 * turnLeft, -0.6 * tiltLeft);
    return set(HEAD, 0.4 * flex, 0.4 * turnLeft, -0.4 * tiltLeft);
  }

  // ---- arms

  /** Shrug: the collar bone raised. */
  public Pose collar(Side s, double raise) {
    return sided(LEFT_COLLAR, s, 2, raise);
  }

  /**
   * The upper arm, from hanging at the side: first raised {@code out} degrees sideways in the
   * frontal plane (90: horizontal, 180: overhead), then turned {@code across} degrees inward about
   * the vertical (for a raised arm: forward across the body; for a hanging arm: an inward twist),
   * then swung {@code forward} degrees about the left-right axis (for a hanging arm: forward; for
   * an arm held out sideways it rolls the arm, so with the elbow bent the forearm points up, as in
   * the cocking phase of a throw).
   */
  public Pose arm(Side s, double forward, double out, double across) {
    return sided(LEFT_SHOULDER, s, -forward, -across, out - 90);
  }

  /** Elbow flexion. */
  public Pose elbow(Side s, double flex) {
    return sided(LEFT_ELBOW, s, 1, -flex);
  }

  /** Wrist extension (back of the hand up for a palm-down hand). */
  public Pose wrist(Side s, double extend) {
    return sided(LEFT_WRIST, s, 2, extend);
  }

  // ---- helpers

  private Pose set(Joint j, double x, double y, double z) {
    int i = j.ordinal() * 3;
    v[i] = x * DEG;
    v[i + 1] = y * DEG;
    v[i + 2] = z * DEG;
    return this;
  }

  /** Sets all three angles of a left joint, or mirrored of its right twin. */
  private Pose sided(Joint left, Side s, double x, double y, double z) {
    boolean right = s == Side.RIGHT;
    return set(right ? left.mirror() : left, x, right ? -y : y, right ? -z : z);
  }

  /** Sets one angle of a left joint, or mirrored of its right twin. */
  private Pose sided(Joint left, Side s, int axis, double deg) {
    boolean right = s == Side.RIGHT;
    int i = (right ? left.mirror() : left).ordinal() * 3 + axis;
    v[i] = (right && axis > 0 ? -deg : deg) * DEG;
    return this;
  }

  private double sidedGet(Joint left, Side s, int axis) {
    boolean right = s == Side.RIGHT;
    double r = v[(right ? left.mirror() : left).ordinal() * 3 + axis];
    return (right && axis > 0 ? -r : r) / DEG;
  }
}
