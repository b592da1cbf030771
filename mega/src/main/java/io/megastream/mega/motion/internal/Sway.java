package io.megastream.mega.motion.internal;

import io.megastream.mega.body.Joint;
import java.util.SplittableRandom;

/**
 * The small, slow movements of a living body (weight shifts, breathing, fidgeting hands) laid over
 * every action, so no joint is frozen: per angle, two sinusoids of 0.1-0.6 Hz with random phases,
 * amplitudes of a few degrees at the hands down to half a degree at the legs. Immutable.
 */
public final class Sway {

  private final double[][] amplitude = new double[Pose.SIZE][2];
  private final double[][] omega = new double[Pose.SIZE][2];
  private final double[][] phase = new double[Pose.SIZE][2];

  public Sway(SplittableRandom rng) {
    for (int i = 0; i < Pose.SIZE; i++) {
      double deg = degrees(Joint.of(i / 3), i % 3);
      for (int k = 0; k < 2; k++) {
        amplitude[i][k] = Math.toRadians(deg) * rng.nextDouble(0.3, 0.7);
        omega[i][k] = 2 * Math.PI * rng.nextDouble(0.1, 0.6);
        phase[i][k] = 2 * Math.PI * rng.nextDouble();
      }
    }
  }

  /** Adds the sway at time t (seconds) to a pose. */
  public void apply(Pose p, double t) {
    for (int i = 0; i < Pose.SIZE; i++) {
      double d = 0;
      for (int k = 0; k < 2; k++) {
        d += amplitude[i][k] * StrictMath.sin(omega[i][k] * t + phase[i][k]);
      }
      p.set(i, p.get(i) + d);
    }
  }

  private static double degrees(Joint j, int axis) {
    return switch (j) {
      case PELVIS -> axis == 1 ? 1.5 : 0.6;
      case LEFT_HIP, RIGHT_HIP, LEFT_ANKLE, RIGHT_ANKLE, LEFT_FOOT, RIGHT_FOOT -> 0.8;
      case LEFT_KNEE, RIGHT_KNEE -> axis == 0 ? 1 : 0.3;
      case SPINE1, SPINE2, SPINE3 -> 1;
      case NECK, HEAD -> 3;
      case LEFT_COLLAR, RIGHT_COLLAR -> 1.5;
      case LEFT_SHOULDER, RIGHT_SHOULDER, LEFT_ELBOW, RIGHT_ELBOW -> 4;
      case LEFT_WRIST, RIGHT_WRIST, LEFT_HAND, RIGHT_HAND -> 8;
    };
  }
}
