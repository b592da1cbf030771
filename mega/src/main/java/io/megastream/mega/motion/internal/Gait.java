package io.megastream.mega.motion.internal;

import java.util.SplittableRandom;

/**
 * Walking and running as periodic joint-angle curves over the gait cycle. The leg curves are
 * normative sagittal-plane kinematics (Winter, "Biomechanics and Motor Control of Human Movement";
 * Novacheck, "The biomechanics of running", 1998), in degrees, phase 0 = heel strike of the leg:
 * walking knee flexion peaks near 60 deg in swing after 15-20 deg at loading; running knee flexion
 * reaches ~40 deg in stance and 100+ in swing. The right leg runs half a cycle behind the left;
 * each arm swings with the opposite leg; the pelvis turns toward the swinging leg and drops on its
 * side, and the thorax counter-rotates. Stateless.
 */
public final class Gait {

  /** The leg's curves over one cycle and the fraction of it the foot is on the floor. */
  public record Cycle(Pchip hip, Pchip knee, Pchip ankle, Pchip toes, double stance) {}

  /** Walking at about 1.2 m/s. */
  public static final Cycle WALK =
      new Cycle(
          Pchip.periodic(0.00, 28, 0.10, 25, 0.30, 8, 0.50, -10, 0.60, -4, 0.75, 22, 0.87, 32),
          Pchip.periodic(
              0.00, 4, 0.12, 17, 0.25, 10, 0.40, 4, 0.55, 20, 0.62, 38, 0.72, 60, 0.85, 30, 0.95,
              6),
          Pchip.periodic(
              0.00, 0, 0.07, -6, 0.25, 5, 0.45, 10, 0.55, 2, 0.62, -18, 0.72, -6, 0.85, 1),
          Pchip.periodic(0.00, 0, 0.40, 4, 0.56, 22, 0.64, 8, 0.72, 0),
          0.62);

  /** Running (jogging) at about 3 m/s: shorter stance, two flight phases per cycle. */
  public static final Cycle RUN =
      new Cycle(
          Pchip.periodic(0.00, 32, 0.20, 10, 0.38, -12, 0.50, -6, 0.70, 38, 0.85, 48),
          Pchip.periodic(0.00, 18, 0.15, 40, 0.38, 16, 0.55, 70, 0.70, 105, 0.85, 60, 0.95, 25),
          Pchip.periodic(0.00, 2, 0.13, 18, 0.30, 5, 0.40, -22, 0.52, -12, 0.70, 4, 0.88, 6),
          Pchip.periodic(0.00, 0, 0.25, 6, 0.38, 25, 0.48, 6, 0.60, 0),
          0.38);

  /**
   * How one person moves: cycles per second, stride (scales hip swing), arm swing and elbow bend,
   * forward lean, pelvic turn and list (degrees).
   */
  public record Style(
      Cycle cycle,
      double hz,
      double stride,
      double armSwing,
      double elbow,
      double lean,
      double pelvisTurn,
      double pelvisList) {

    /** A walking style drawn from normal adult ranges. */
    public static Style walking(SplittableRandom rng) {
      return new Style(
          WALK,
          rng.nextDouble(0.80, 1.0),
          rng.nextDouble(0.85, 1.15),
          rng.nextDouble(12, 30),
          rng.nextDouble(12, 25),
          rng.nextDouble(0, 6),
          rng.nextDouble(3, 6),
          rng.nextDouble(2, 5));
    }

    /** A running style drawn from recreational-runner ranges. */
    public static Style running(SplittableRandom rng) {
      return new Style(
          RUN,
          rng.nextDouble(1.30, 1.55),
          rng.nextDouble(0.85, 1.15),
          rng.nextDouble(25, 40),
          rng.nextDouble(80, 100),
          rng.nextDouble(4, 10),
          rng.nextDouble(5, 9),
          rng.nextDouble(3, 6));
    }
  }

  private Gait() {}

  /** A walk: a style, a random start phase and heading, on a straight line or a gentle curve. */
  public static Performance walk(SplittableRandom rng, int frames, double fps) {
    return locomote(Style.walking(rng), rng, frames, fps);
  }

  /** A run, like {@link #walk} with a running style; both feet leave the floor twice a cycle. */
  public static Performance run(SplittableRandom rng, int frames, double fps) {
    return locomote(Style.running(rng), rng, frames, fps);
  }

  private static Performance locomote(Style style, SplittableRandom rng, int frames, double fps) {
    double phase0 = rng.nextDouble();
    double heading0 = rng.nextDouble(-180, 180);
    double curve = rng.nextDouble() < 0.4 ? rng.nextDouble(-20, 20) : 0; // deg/s
    Pose[] poses = new Pose[frames];
    boolean[] air = new boolean[frames];
    for (int f = 0; f < frames; f++) {
      double t = f / fps;
      double phase = phase0 + style.hz * t;
      poses[f] = pose(style, phase, 1, heading0 + curve * t);
      air[f] = !onFloor(style.cycle, phase) && !onFloor(style.cycle, phase + 0.5);
    }
    return new Performance(poses, air, 0, true);
  }

  private static boolean onFloor(Cycle cycle, double phase) {
    return phase - Math.floor(phase) < cycle.stance;
  }

  /**
   * The pose at a phase of the left leg's cycle, blended with standing by {@code amount} (1: full
   * gait, 0: standing still; turning on the spot steps at a fraction).
   */
  public static Pose pose(Style s, double phase, double amount, double heading) {
    Cycle c = s.cycle;
    double turn = StrictMath.cos(2 * Math.PI * phase); // 1 at left heel strike
    double list = amount * s.pelvisList * StrictMath.sin(2 * Math.PI * phase);
    Pose p = Pose.standing();
    p.heading(heading - amount * s.pelvisTurn * turn) // pelvis turns with the leading leg
        .roll(list) // the swing side drops
        .pitch(amount * (0.4 * s.lean + 1.5 * StrictMath.cos(4 * Math.PI * phase)))
        .spine(amount * 0.6 * s.lean, amount * 1.3 * s.pelvisTurn * turn, 0.6 * list)
        .neck(-amount * 0.5 * s.lean, -amount * 0.3 * s.pelvisTurn * turn, -0.3 * list);
    boolean running = c == RUN;
    for (Side side : Side.values()) {
      double ph = phase + (side == Side.LEFT ? 0 : 0.5);
      double sideSign = side == Side.LEFT ? 1 : -1;
      double standingKnee = p.knee(side);
      // the curves give the thigh's angle from vertical: the hip adds the pelvis's pitch
      p.hip(side, amount * s.stride * c.hip.atPhase(ph) + p.pitch(), 3 - sideSign * list, 6)
          .knee(side, lerp(standingKnee, c.knee.atPhase(ph) * (0.8 + 0.2 * s.stride), amount))
          .footFlat(side);
      p.ankle(side, lerp(p.ankle(side), c.ankle.atPhase(ph), amount))
          .toes(side, amount * c.toes.atPhase(ph));
      // the arm swings forward as the opposite leg does: peak at half a cycle after its own heel
      // strike, a little late
      double swing = -StrictMath.cos(2 * Math.PI * (ph - 0.04));
      p.arm(
              side,
              amount * (s.armSwing * swing + (running ? 10 : 3)),
              running ? 12 : 8,
              amount * (running ? 10 : 0))
          .elbow(side, lerp(12, s.elbow + 0.3 * s.armSwing * swing, amount));
    }
    return p;
  }

  static double lerp(double a, double b, double w) {
    return a + (b - a) * w;
  }
}
