package io.megastream.mega.motion.internal;

import static io.megastream.mega.motion.internal.Side.LEFT;
import static io.megastream.mega.motion.internal.Side.RIGHT;

/**
 * Named whole-body poses, the vocabulary that actions and the random-pose prior are written in.
 * Each returns a new pose facing +z. Stateless.
 */
public final class Poses {

  private Poses() {}

  /**
   * A squat, from 0 (standing) to 1 (deep): hips back, knees forward and out, heels down. The
   * thighs open as they rotate in a little, which keeps the feet where they stood.
   */
  public static Pose squat(double depth) {
    Pose p = Pose.standing().pitch(20 * depth);
    for (Side s : Side.values()) {
      p.hip(s, 0, 3 + 8 * depth, 6 - 6 * depth).leg(s, 95 * depth, 30 * depth);
    }
    return p.spine(20 * depth, 0, 0).neck(-10 * depth, 0, 0);
  }

  /** A forward lunge: front knee over the foot, back leg long with the heel up. */
  public static Pose lunge(Side front, double depth) {
    Side back = front.other();
    Pose p = Pose.standing().pitch(5 * depth);
    p.leg(front, 60 * depth, 15 * depth);
    p.leg(back, -25 * depth, 5 * depth).ankle(back, -20 * depth).toes(back, 30 * depth);
    return p.spine(0, 0, 0).arm(front, -15 * depth, 10, 0).arm(back, 25 * depth, 10, 0);
  }

  /** Bending forward from the hips, legs nearly straight, arms hanging toward the floor. */
  public static Pose stoop(double lean) {
    Pose p = Pose.standing().pitch(55 * lean);
    for (Side s : Side.values()) {
      p.leg(s, -8 * lean, 12 * lean);
      p.arm(s, Math.min(88, 100 * lean), 8, 0).elbow(s, 8);
    }
    return p.spine(50 * lean, 0, 0).neck(-25 * lean, 0, 0);
  }

  /** Both arms overhead. */
  public static Pose armsUp() {
    Pose p = Pose.standing();
    for (Side s : Side.values()) {
      p.arm(s, 0, 165, 0).elbow(s, 10).collar(s, 15);
    }
    return p.spine(-5, 0, 0).neck(-10, 0, 0);
  }

  /** Both arms out sideways at shoulder height. */
  public static Pose armsOut() {
    Pose p = Pose.standing();
    for (Side s : Side.values()) {
      p.arm(s, 0, 90, 0).elbow(s, 5);
    }
    return p;
  }

  /** One arm reaching forward at shoulder height, the shoulders turned into the reach. */
  public static Pose reach(Side s, double amount) {
    double toward = s == RIGHT ? 1 : -1; // reaching with the right arm turns the chest left
    return Pose.standing()
        .arm(s, 85 * amount, 15, 15 * amount)
        .elbow(s, 10)
        .spine(20 * amount, 15 * toward * amount, 0)
        .neck(-10 * amount, 0, 0);
  }

  /** Kneeling on one knee, the other foot flat in front. */
  public static Pose kneel(Side front) {
    Side back = front.other();
    Pose p = Pose.standing().pitch(5);
    p.leg(front, 85, -5);
    p.leg(back, -5, 90).ankle(back, -10).toes(back, 30);
    return p.arm(front, 40, 10, 10).elbow(front, 30).spine(10, 0, 0);
  }

  /** Standing on one leg, the other knee raised (a kick's chamber, marching, balance). */
  public static Pose kneeUp(Side raised) {
    Pose p = Pose.standing().pitch(-3);
    p.leg(raised.other(), 2, 6);
    p.hip(raised, 85, 5, 5).knee(raised, 95).ankle(raised, -15);
    for (Side s : Side.values()) {
      p.arm(s, 10, 40, 0).elbow(s, 30);
    }
    return p;
  }

  /**
   * The cocked position of an overarm throw: the throwing arm out at shoulder height, elbow bent,
   * forearm up; the chest turned away; the other arm pointing forward; the lead leg stepping.
   */
  public static Pose throwCocked(Side thrower) {
    double away = thrower == RIGHT ? -1 : 1;
    Side lead = thrower.other();
    Pose p = Pose.standing().pitch(-5).spine(-5, 30 * away, -8 * away).neck(0, -25 * away, 0);
    p.leg(lead, 25, 0);
    p.leg(thrower, -8, 12);
    p.arm(thrower, 85, 90, -30).elbow(thrower, 95).collar(thrower, 10);
    return p.arm(lead, 60, 25, 15).elbow(lead, 25);
  }

  /** Leaning sideways, the arm on that side sliding down the thigh, the other overhead. */
  public static Pose sideBend(Side toward) {
    double left = toward == LEFT ? 1 : -1;
    return Pose.standing()
        .spine(0, 0, 45 * left)
        .neck(0, 0, 15 * left)
        .arm(toward, 0, 3, 0)
        .arm(toward.other(), 0, 150, 0)
        .elbow(toward.other(), 20);
  }

  /** The trunk and head turned to one side, arms following. */
  public static Pose twist(Side toward) {
    double left = toward == LEFT ? 1 : -1;
    Pose p = Pose.standing().spine(0, 60 * left, 0).neck(0, 40 * left, 0);
    p.arm(toward, -20, 20, 0).elbow(toward, 60);
    return p.arm(toward.other(), 40, 20, 30).elbow(toward.other(), 60);
  }
}
