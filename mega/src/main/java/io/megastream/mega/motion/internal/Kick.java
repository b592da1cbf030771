package io.megastream.mega.motion.internal;

import java.util.SplittableRandom;

/**
 * A front kick, once or twice (same or other leg): shift onto the standing leg and wind the kicking
 * leg back with the knee bent, whip it forward and up to a random height as the knee straightens
 * and the toes point, follow through with the trunk leaning back and the arms out for balance, then
 * recoil and put the foot down.
 */
public final class Kick {

  private Kick() {}

  public static Performance perform(SplittableRandom rng, int frames, double fps) {
    double seconds = (frames - 1) / fps;
    Side leg = rng.nextBoolean() ? Side.LEFT : Side.RIGHT;
    Timeline t = new Timeline(Pose.standing()).hold(rng.nextDouble(0.2, 0.5));
    do {
      kickOnce(t, rng, leg);
      leg = rng.nextBoolean() ? leg : leg.other();
    } while (t.length() * 1.9 < seconds);
    return t.perform(frames, fps, rng, 0);
  }

  private static void kickOnce(Timeline t, SplittableRandom rng, Side kick) {
    Side support = kick.other();
    double height = rng.nextDouble(0.5, 1.0);

    Pose windUp = Pose.standing().pitch(-3);
    windUp.leg(support, 5, 10);
    windUp.hip(kick, -20, 3, 8).knee(kick, 85).ankle(kick, -20);
    windUp.arm(support, 35, 25, 10).elbow(support, 40).arm(kick, -25, 30, 0).elbow(kick, 30);

    Pose pass = Pose.standing().pitch(-5); // the foot swings through low, knee bent to clear it
    pass.leg(support, 3, 14);
    pass.hip(kick, 15 + 10 * height, 3, 6).knee(kick, 65).ankle(kick, -20);
    pass.arm(support, 10, 35, 5).elbow(support, 35).arm(kick, 0, 35, 0).elbow(kick, 30);

    Pose strike = Pose.standing().pitch(-8 * height).spine(-5 * height, 0, 0);
    strike.leg(support, 0, 10);
    strike.hip(kick, 40 + 45 * height, 3, 5).knee(kick, 15).ankle(kick, -35);
    strike.arm(support, -10, 40, 0).elbow(support, 30).arm(kick, 30, 40, 0).elbow(kick, 30);

    Pose follow = strike.copy().pitch(-12 * height);
    follow.leg(support, 0, 12);
    follow.hipFlex(kick, 55 + 50 * height);
    follow.knee(kick, 25);

    Pose recoil = Pose.standing().pitch(-3);
    recoil.leg(support, 2, 10);
    recoil.hip(kick, 40, 3, 5).knee(kick, 70).ankle(kick, -5);
    recoil.arm(support, 15, 25, 0).elbow(support, 30).arm(kick, 0, 25, 0).elbow(kick, 30);

    t.to(windUp, rng.nextDouble(0.35, 0.55))
        .to(pass, rng.nextDouble(0.09, 0.13))
        .to(strike, rng.nextDouble(0.09, 0.13))
        .to(follow, rng.nextDouble(0.18, 0.28))
        .to(recoil, rng.nextDouble(0.25, 0.4))
        .to(Pose.standing(), rng.nextDouble(0.35, 0.55))
        .hold(rng.nextDouble(0.2, 0.5));
  }
}
