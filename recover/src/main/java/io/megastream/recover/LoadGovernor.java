package io.megastream.recover;

/**
 * Degrade, don't drown: the adaptive mode's sampling threshold in force, raised while the worker is
 * behind and lowered again once it has caught up. One sampled person costs Q·T passes of MEGA (861
 * ms warm on 2 cores against 54 ms deterministic, {@code loadtest/run-sampling-bench.sh}), so
 * sampling is what a worker gives up first when frames pile up.
 *
 * <p>The rule, applied once per batch to the frames waiting (consumer lag plus polled, not yet
 * run): past {@code bound} the level rises one step, under {@code bound / 2} it falls one step, in
 * between it holds (hysteresis, so it does not flap at the bound). Level 0 is the configured
 * threshold; each step moves it a quarter of the way to 1; the top level samples nobody. Not
 * thread-safe: the worker's thread owns it.
 */
final class LoadGovernor {

  /** Steps from the configured threshold to no sampling. */
  static final int LEVELS = 4;

  private final double base;
  private final int bound;
  private int level;

  /**
   * @param base the configured threshold on 1 − confidence
   * @param bound frames waiting past which sampling is cut back; 0 = never
   */
  LoadGovernor(double base, int bound) {
    if (base < 0 || base > 1 || bound < 0) {
      throw new IllegalArgumentException("threshold in [0, 1] and bound >= 0");
    }
    this.base = base;
    this.bound = bound;
  }

  /** Takes the frames waiting before a batch; returns the threshold in force for it. */
  double update(long waiting) {
    if (bound > 0) {
      if (waiting > bound) {
        level = Math.min(LEVELS, level + 1);
      } else if (waiting < bound / 2.0) {
        level = Math.max(0, level - 1);
      }
    }
    return threshold();
  }

  /** The threshold in force: the configured one at level 0, 1 (nobody sampled) at the top. */
  double threshold() {
    return level >= LEVELS ? 1.0 : base + (1 - base) * level / LEVELS;
  }

  /** 0 (as configured) … {@link #LEVELS} (sampling stopped). */
  int level() {
    return level;
  }
}
