package io.megastream.mega.motion.internal;

import java.util.SplittableRandom;

/**
 * A countermovement jump, on the spot or forward (a broad jump), once or twice: dip with the arms
 * swung back, drive up onto the toes with the arms swinging forward and up, fly with the knees
 * tucked, reach for the floor toes first, absorb in a half squat, stand up. The flight is a
 * ballistic arc (see {@link Grounding}), 0.3-0.55 s long: 11-37 cm high.
 */
public final class Jump {

  private Jump() {}

  public static Performance perform(SplittableRandom rng, int frames, double fps) {
    double seconds = (frames - 1) / fps;
    boolean forward = rng.nextDouble() < 0.4;
    Timeline t = new Timeline(Pose.standing()).hold(rng.nextDouble(0.2, 0.5));
    do {
      jumpOnce(t, rng, forward);
    } while (t.length() * 1.9 < seconds);
    return t.perform(frames, fps, rng, forward ? rng.nextDouble(0.3, 1.2) : 0);
  }

  private static void jumpOnce(Timeline t, SplittableRandom rng, boolean forward) {
    double dip = rng.nextDouble(0.5, 0.85);
    double arms = rng.nextDouble(0.6, 1.0);
    double flight = rng.nextDouble(0.3, 0.55);
    double lean = forward ? 15 : 3;

    Pose crouch = Poses.squat(dip);
    Pose takeoff = Pose.standing().pitch(lean).spine(-5, 0, 0).neck(-5, 0, 0);
    Pose tuck = Pose.standing().pitch(lean / 2);
    Pose reach = Pose.standing().pitch(5);
    Pose absorb = Poses.squat(rng.nextDouble(0.4, 0.65));
    for (Side s : Side.values()) {
      crouch.arm(s, -50 * arms, 12, 0).elbow(s, 20);
      takeoff.leg(s, -lean, 0);
      takeoff.ankle(s, -35).toes(s, 20).arm(s, 90 * arms, 25, 0).elbow(s, 15);
      tuck.hip(s, 45, 5, 8).knee(s, 60).ankle(s, -20).arm(s, 70 * arms, 20, 0).elbow(s, 25);
      reach.hip(s, 30, 5, 8).knee(s, 25).ankle(s, -15).arm(s, 50, 20, 0).elbow(s, 20);
      absorb.arm(s, 40, 15, 0).elbow(s, 25);
    }
    t.to(crouch, rng.nextDouble(0.45, 0.7))
        .to(takeoff, rng.nextDouble(0.22, 0.3))
        .flightTo(tuck, flight / 2)
        .flightTo(reach, flight / 2)
        .to(absorb, rng.nextDouble(0.15, 0.25))
        .to(Pose.standing(), rng.nextDouble(0.5, 0.8))
        .hold(rng.nextDouble(0.1, 0.4));
  }
}
