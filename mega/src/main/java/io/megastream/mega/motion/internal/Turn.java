package io.megastream.mega.motion.internal;

import java.util.SplittableRandom;

/**
 * Turning 60-180 deg to a random side, on the spot with a few short steps or while walking. The
 * head leads the turn, then the chest, then the pelvis; the heading follows a smoothstep at 100-160
 * deg/s on average.
 */
public final class Turn {

  private static final double HEAD_LEAD = 0.3;
  private static final double CHEST_LEAD = 0.15;

  private Turn() {}

  public static Performance perform(SplittableRandom rng, int frames, double fps) {
    double seconds = (frames - 1) / fps;
    double angle = rng.nextDouble(60, 180) * (rng.nextBoolean() ? 1 : -1);
    boolean walking = rng.nextDouble() < 0.4;
    double duration = Math.min(Math.abs(angle) / rng.nextDouble(100, 160), seconds - 0.4);
    double start = rng.nextDouble(0.2, Math.max(0.21, seconds - duration - 0.2));
    Gait.Style style = Gait.Style.walking(rng);
    if (!walking) { // short, quick steps
      style =
          new Gait.Style(
              Gait.WALK,
              rng.nextDouble(0.9, 1.2),
              0.5,
              5,
              style.elbow(),
              style.lean(),
              style.pelvisTurn(),
              style.pelvisList());
    }
    double phase0 = rng.nextDouble();
    Pose[] poses = new Pose[frames];
    for (int f = 0; f < frames; f++) {
      double t = f / fps;
      double heading = angle * smoothstep((t - start) / duration);
      double stepping = walking ? 1 : bump((t - start + 0.3) / (duration + 0.6));
      Pose p = Gait.pose(style, phase0 + style.hz() * t, stepping, heading);
      double chest = angle * smoothstep((t + CHEST_LEAD - start) / duration) - heading;
      double head = angle * smoothstep((t + HEAD_LEAD - start) / duration) - heading - chest;
      p.spine(p.spineFlex(), chest, 0).neck(0, Math.max(-50, Math.min(50, head)), 0);
      poses[f] = p;
    }
    return Performance.grounded(poses);
  }

  private static double smoothstep(double x) {
    double c = Math.max(0, Math.min(1, x));
    return c * c * (3 - 2 * c);
  }

  /** 0 outside [0, 1], rising smoothly to 1 in the middle. */
  private static double bump(double x) {
    if (x <= 0 || x >= 1) {
      return 0;
    }
    double s = StrictMath.sin(Math.PI * x);
    return s * s;
  }
}
