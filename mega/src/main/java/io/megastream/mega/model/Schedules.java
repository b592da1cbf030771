package io.megastream.mega.model;

/** MEGA's masking and unmasking schedules (pure functions). */
public final class Schedules {

  private Schedules() {}

  /** Training: visible tokens for a draw τ in [0, 1): floor(N·cos(π·τ/2)). */
  public static int visibleForTraining(int n, double tau) {
    return (int) Math.floor(n * Math.cos(Math.PI * tau / 2));
  }

  /**
   * Stochastic generation: tokens fixed after step t of T, floor(N·(1 − cos(π·t/(2T)))); every
   * token is fixed after the last step.
   */
  public static int fixedAfterStep(int n, int t, int steps) {
    if (t >= steps) {
      return n;
    }
    return (int) Math.floor(n * (1 - Math.cos(Math.PI * t / (2.0 * steps))));
  }

  /** Gumbel noise scale at step t of T: (A·(1 − t/T))^power (power 1 conditional, 6 random). */
  public static double noise(double a, int t, int steps, double power) {
    return Math.pow(a * (1 - (double) t / steps), power);
  }
}
