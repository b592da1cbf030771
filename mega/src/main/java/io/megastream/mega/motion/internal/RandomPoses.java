package io.megastream.mega.motion.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Smooth motion through key poses drawn from the coordinated {@link PosePrior}: a new key every
 * 0.6-1.4 s, or later if the change is large (no joint turns faster than 2 rad/s on average between
 * keys), with the heading drifting by about 25 deg per key.
 */
public final class RandomPoses {

  private static final double MAX_MEAN_SPEED = 2.0; // rad/s

  private RandomPoses() {}

  public static Performance perform(SplittableRandom rng, int frames, double fps) {
    double seconds = (frames - 1) / fps;
    List<Pose> keys = new ArrayList<>();
    List<Double> gaps = new ArrayList<>();
    keys.add(PosePrior.sample(rng));
    double heading = 0;
    double total = 0;
    while (true) {
      heading += 25 * Draw.gaussian(rng);
      Pose next = PosePrior.sample(rng).heading(heading);
      double gap =
          Math.max(
              rng.nextDouble(0.6, 1.4),
              largestChange(keys.get(keys.size() - 1), next) / MAX_MEAN_SPEED);
      if (total + gap > seconds && !gaps.isEmpty()) {
        break;
      }
      keys.add(next);
      gaps.add(gap);
      total += gap;
    }
    double stretch = seconds / total; // fill the clip (slower), or fit one long move (faster)
    Timeline t = new Timeline(keys.get(0));
    for (int i = 0; i < gaps.size(); i++) {
      t.to(keys.get(i + 1), gaps.get(i) * stretch);
    }
    return t.perform(frames, fps, rng, 0);
  }

  private static double largestChange(Pose a, Pose b) {
    double max = 0;
    for (int i = 0; i < Pose.SIZE; i++) {
      max = Math.max(max, Math.abs(a.get(i) - b.get(i)));
    }
    return max;
  }
}
