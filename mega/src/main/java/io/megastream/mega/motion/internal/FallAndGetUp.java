package io.megastream.mega.motion.internal;

import java.util.SplittableRandom;

/**
 * Falling and getting back up. Backward: stumble back with the arms thrown forward, sit down hard
 * on the buttocks with the hands behind, roll back to lie with the knees up, sit up, rock forward
 * into a crouch, stand. Forward: stumble forward, drop to the knees, catch onto the hands, (in a
 * long clip) lie prone and push back up, come to kneel on one knee, stand.
 */
public final class FallAndGetUp {

  private FallAndGetUp() {}

  public static Performance perform(SplittableRandom rng, int frames, double fps) {
    double seconds = (frames - 1) / fps;
    Side side = rng.nextBoolean() ? Side.LEFT : Side.RIGHT;
    Timeline t = new Timeline(Pose.standing()).hold(rng.nextDouble(0.1, 0.4));
    if (rng.nextBoolean()) {
      backward(t, rng, side);
    } else {
      forward(t, rng, side, seconds > 4.5);
    }
    return t.perform(frames, fps, rng, 0);
  }

  private static void backward(Timeline t, SplittableRandom rng, Side back) {
    Pose stumble = Pose.standing().pitch(-10).spine(15, 0, 0).neck(25, 0, 0);
    stumble.leg(back, -20, 5);
    stumble.leg(back.other(), 15, 0);

    Pose sit = Pose.standing().pitch(-25).spine(20, 0, 0).neck(20, 0, 0);
    Pose lie = Pose.standing().pitch(-82).spine(-5, 0, 0).neck(10, 0, 0);
    Pose sitUp = Pose.standing().pitch(-15).spine(35, 0, 0).neck(15, 0, 0);
    Pose crouch = Poses.squat(1.0);
    double knees = rng.nextDouble(20, 40);
    for (Side s : Side.values()) {
      stumble.arm(s, 60, 30, 0).elbow(s, 30);
      sit.leg(s, 115, -30);
      sit.arm(s, -45, 25, 0).elbow(s, 10); // hands to the floor behind
      lie.leg(s, 90 + knees, -knees);
      lie.arm(s, 0, 35, 0).elbow(s, 20);
      sitUp.leg(s, 120, -30);
      sitUp.arm(s, 55, 20, 10).elbow(s, 20);
      crouch.arm(s, 60, 15, 10).elbow(s, 20);
    }
    t.to(stumble, rng.nextDouble(0.25, 0.4))
        .to(sit, rng.nextDouble(0.35, 0.5))
        .to(lie, rng.nextDouble(0.45, 0.7))
        .hold(rng.nextDouble(0.2, 1.0))
        .to(sitUp, rng.nextDouble(0.6, 0.9))
        .to(crouch, rng.nextDouble(0.6, 0.9))
        .to(Pose.standing(), rng.nextDouble(0.7, 1.1));
  }

  private static void forward(Timeline t, SplittableRandom rng, Side front, boolean prone) {
    Pose stumble = Pose.standing().pitch(15).spine(-5, 0, 0);
    stumble.leg(front, 35, -5);
    stumble.leg(front.other(), -15, 20).toes(front.other(), 20);

    Pose knees = Pose.standing().pitch(15).spine(15, 0, 0);
    Pose allFours = Pose.standing().pitch(80).neck(-35, 0, 0);
    Pose lying = Pose.standing().pitch(88).neck(-30, 0, 0);
    for (Side s : Side.values()) {
      stumble.arm(s, 70, 20, 0).elbow(s, 20);
      knees.leg(s, 10, 90).ankle(s, -40);
      knees.arm(s, 80, 15, 0).elbow(s, 15);
      allFours.leg(s, 0, 90).ankle(s, -40);
      allFours.arm(s, 80, 10, 0).elbow(s, 5);
      lying.hipFlex(s, 5);
      lying.knee(s, 10).ankle(s, -40);
      lying.arm(s, 70, 30, 0).elbow(s, 100); // hands beside the head
    }
    t.to(stumble, rng.nextDouble(0.25, 0.4))
        .to(knees, rng.nextDouble(0.3, 0.45))
        .to(allFours, rng.nextDouble(0.3, 0.45));
    if (prone) {
      t.to(lying, rng.nextDouble(0.5, 0.7))
          .hold(rng.nextDouble(0.2, 0.8))
          .to(allFours, rng.nextDouble(0.6, 0.9));
    }
    t.to(Poses.kneel(front), rng.nextDouble(0.6, 0.9))
        .to(Pose.standing(), rng.nextDouble(0.8, 1.2));
  }
}
