package io.megastream.mega.motion.internal;

import java.util.SplittableRandom;

/**
 * Squats, repeated to fill the clip: sink to a random depth (hips back, knees forward and out,
 * heels down, trunk leaning, arms forward for balance or hands at the chest), pause, rise, pause.
 */
public final class Squat {

  private Squat() {}

  public static Performance perform(SplittableRandom rng, int frames, double fps) {
    double seconds = (frames - 1) / fps;
    double depth = rng.nextDouble(0.45, 1.0);
    boolean armsForward = rng.nextDouble() < 0.6;
    double down = rng.nextDouble(0.8, 1.4);
    double up = rng.nextDouble(0.7, 1.2);
    Timeline t = new Timeline(Pose.standing()).hold(rng.nextDouble(0.1, 0.4));
    do {
      double d = Math.min(1, depth + rng.nextDouble(-0.1, 0.1));
      Pose bottom = Poses.squat(d);
      for (Side s : Side.values()) {
        if (armsForward) {
          bottom.arm(s, 80 * d, 10, 10).elbow(s, 10);
        } else {
          bottom.arm(s, 35, 15, 40).elbow(s, 110); // hands together at the chest
        }
      }
      t.to(bottom, down * rng.nextDouble(0.9, 1.1))
          .hold(rng.nextDouble(0.05, 0.5))
          .to(Pose.standing(), up * rng.nextDouble(0.9, 1.1))
          .hold(rng.nextDouble(0.2, 0.6));
    } while (t.length() + down + up < seconds);
    return t.perform(frames, fps, rng, 0);
  }
}
