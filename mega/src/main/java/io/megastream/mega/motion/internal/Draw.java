package io.megastream.mega.motion.internal;

import java.util.SplittableRandom;

/**
 * Random draws on {@link StrictMath}, so a seed gives the same numbers on every JVM (the JDK's own
 * {@code nextGaussian} may use platform-specific math). Stateless.
 */
public final class Draw {

  private Draw() {}

  /** A standard normal draw (Box-Muller). */
  public static double gaussian(SplittableRandom rng) {
    double u = 1 - rng.nextDouble(); // (0, 1]
    double v = rng.nextDouble();
    return StrictMath.sqrt(-2 * StrictMath.log(u)) * StrictMath.cos(2 * Math.PI * v);
  }
}
