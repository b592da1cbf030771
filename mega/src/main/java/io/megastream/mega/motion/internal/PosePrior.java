package io.megastream.mega.motion.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A prior over whole-body poses whose joints move together, for the "random" action. A sample
 * blends two poses of the {@link Poses} vocabulary (either may be mirrored), adds a few synergies
 * with Gaussian weights (each synergy is the change from standing to a vocabulary pose, so a crouch
 * bends hips, knees, ankles and spine at once), adds small independent noise per joint, and clamps
 * to the joint limits. Immutable and thread-safe.
 */
public final class PosePrior {

  private static final double NOISE_DEG = 2.5;
  private static final double SYNERGY_SD = 0.3;

  private static final Pose STAND = Pose.standing();

  private static final List<Pose> BASES =
      List.of(
          Pose.standing(),
          Poses.squat(0.5),
          Poses.squat(0.9),
          Poses.lunge(Side.LEFT, 0.8),
          Poses.stoop(0.6),
          Poses.stoop(1.0),
          Poses.armsUp(),
          Poses.armsOut(),
          Poses.reach(Side.LEFT, 1),
          Poses.kneel(Side.LEFT),
          Poses.kneeUp(Side.LEFT),
          Poses.throwCocked(Side.RIGHT),
          Poses.sideBend(Side.LEFT),
          Poses.twist(Side.LEFT));

  private static final List<Pose> SYNERGIES = synergies();

  private PosePrior() {}

  private static List<Pose> synergies() {
    List<Pose> s = new ArrayList<>();
    s.add(Poses.squat(0.6)); // legs fold together
    s.add(Poses.lunge(Side.LEFT, 0.6)); // stride: one leg forward, the other back
    s.add(Poses.armsUp());
    s.add(Poses.reach(Side.LEFT, 1));
    s.add(Poses.twist(Side.LEFT));
    s.add(Poses.sideBend(Side.LEFT));
    s.add(Poses.stoop(0.6));
    s.add(Pose.standing().neck(25, 40, 10)); // look down and aside
    Pose elbows = Pose.standing();
    for (Side side : Side.values()) {
      elbows.elbow(side, 90).arm(side, 30, 10, 20);
    }
    s.add(elbows); // hands in front of the body
    return List.copyOf(s);
  }

  /** One pose, facing +z, within the joint limits. */
  public static Pose sample(SplittableRandom rng) {
    Pose a = pick(BASES, rng);
    Pose b = pick(BASES, rng);
    Pose p = a.blend(b, rng.nextDouble());
    for (Pose synergy : SYNERGIES) {
      Pose target = rng.nextBoolean() ? synergy : synergy.mirrored();
      p = p.plus(STAND, target, SYNERGY_SD * Draw.gaussian(rng));
    }
    for (int i = 3; i < Pose.SIZE; i++) {
      p.set(i, p.get(i) + Math.toRadians(NOISE_DEG) * Draw.gaussian(rng));
    }
    p.heading(0);
    return p.clampToLimits();
  }

  private static Pose pick(List<Pose> poses, SplittableRandom rng) {
    Pose p = poses.get(rng.nextInt(poses.size()));
    return rng.nextBoolean() ? p.mirrored() : p;
  }
}
