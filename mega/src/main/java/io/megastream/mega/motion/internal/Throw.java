package io.megastream.mega.motion.internal;

import java.util.SplittableRandom;

/**
 * An overarm throw, right- or left-handed: turn side-on and step toward the target with the other
 * foot while the throwing arm cocks back (elbow at shoulder height, forearm up), then uncoil hips,
 * trunk and arm to release in front of the head, follow through across the body with the back leg
 * coming through, and recover.
 */
public final class Throw {

  private Throw() {}

  public static Performance perform(SplittableRandom rng, int frames, double fps) {
    Side arm = rng.nextDouble() < 0.75 ? Side.RIGHT : Side.LEFT;
    Side lead = arm.other();
    double away = arm == Side.RIGHT ? -1 : 1; // heading and twist that turn the arm side back
    double power = rng.nextDouble(0.6, 1.0);

    Pose windUp = Poses.throwCocked(arm).heading(35 * away * power);
    windUp.arm(arm, 60, 85, -20).elbow(arm, 90);

    Pose cocked = Poses.throwCocked(arm).heading(40 * away * power);

    Pose release = Pose.standing().heading(-10 * away * power).pitch(8 * power);
    release.spine(15 * power, -20 * away * power, 5 * away).neck(0, 10 * away, 0);
    release.leg(lead, 30, 10);
    release.leg(arm, -20, 25).ankle(arm, -25).toes(arm, 25);
    release.arm(arm, 0, 105, 35).elbow(arm, 25).arm(lead, -10, 20, 0).elbow(lead, 70);

    Pose follow = release.copy().heading(-15 * away * power).pitch(20 * power);
    follow.spine(35 * power, -25 * away * power, 0);
    follow.leg(lead, 35, 15);
    follow.leg(arm, 15, 40);
    follow.arm(arm, -20, 45, 70).elbow(arm, 35);

    Timeline t =
        new Timeline(Pose.standing())
            .hold(rng.nextDouble(0.2, 0.5))
            .to(windUp, rng.nextDouble(0.45, 0.7))
            .to(cocked, rng.nextDouble(0.15, 0.25))
            .to(release, rng.nextDouble(0.18, 0.24))
            .to(follow, rng.nextDouble(0.25, 0.35))
            .to(Pose.standing(), rng.nextDouble(0.6, 0.9));
    return t.perform(frames, fps, rng, 0);
  }
}
