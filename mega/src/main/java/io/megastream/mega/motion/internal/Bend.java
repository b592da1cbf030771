package io.megastream.mega.motion.internal;

import java.util.SplittableRandom;

/**
 * Bending down and back up, once or twice: forward from the hips with nearly straight legs (a
 * stoop, sometimes reaching with one hand), forward with bent knees to pick something up, or
 * sideways with the other arm overhead.
 */
public final class Bend {

  private Bend() {}

  public static Performance perform(SplittableRandom rng, int frames, double fps) {
    double seconds = (frames - 1) / fps;
    Timeline t = new Timeline(Pose.standing()).hold(rng.nextDouble(0.2, 0.5));
    do {
      t.to(bent(rng), rng.nextDouble(0.8, 1.4))
          .hold(rng.nextDouble(0.2, 0.8))
          .to(Pose.standing(), rng.nextDouble(0.8, 1.3))
          .hold(rng.nextDouble(0.1, 0.4));
    } while (t.length() * 1.9 < seconds);
    return t.perform(frames, fps, rng, 0);
  }

  private static Pose bent(SplittableRandom rng) {
    double kind = rng.nextDouble();
    Side side = rng.nextBoolean() ? Side.LEFT : Side.RIGHT;
    if (kind < 0.5) {
      Pose p = Poses.stoop(rng.nextDouble(0.6, 1.0));
      if (rng.nextBoolean()) { // reach down with one hand
        double toward = side == Side.RIGHT ? 1 : -1;
        p.arm(side, 88, 12, 15).spine(p.spineFlex(), 12 * toward, 0);
      }
      return p;
    }
    if (kind < 0.75) {
      Pose p = Poses.squat(rng.nextDouble(0.5, 0.8)).blend(Poses.stoop(0.8), 0.5);
      for (Side s : Side.values()) {
        p.arm(s, 75, 10, 10).elbow(s, 15);
      }
      return p;
    }
    return Pose.standing().blend(Poses.sideBend(side), rng.nextDouble(0.6, 1.0));
  }
}
