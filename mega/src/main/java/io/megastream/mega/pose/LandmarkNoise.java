package io.megastream.mega.pose;

/**
 * How BlazePose's output differs from the body model's true landmarks, applied to synthetic
 * landmarks so that MEGA trains on what it will see: Gaussian 2D error (crop-normalised units),
 * relative-depth and world-landmark error, and the visibility BlazePose reports for landmarks that
 * are and are not really visible. Defaults come from running BlazePose on rendered crops whose
 * truth is known.
 *
 * @param imageSigma standard deviation of the 2D error, fraction of the crop side
 * @param depthSigma standard deviation of the relative depth error, same unit
 * @param worldSigma standard deviation of the world-landmark error, metres
 * @param visibleWhenVisible mean visibility BlazePose reports for truly visible landmarks
 * @param visibleWhenHidden mean visibility BlazePose reports for truly hidden landmarks
 * @param dropout probability that a landmark is dropped (all features zero) in training
 */
public record LandmarkNoise(
    double imageSigma,
    double depthSigma,
    double worldSigma,
    double visibleWhenVisible,
    double visibleWhenHidden,
    double dropout) {

  /** Measured on rendered crops of the synthetic benchmark (see the README's pose section). */
  public static final LandmarkNoise MEASURED = new LandmarkNoise(0.02, 0.05, 0.05, 0.95, 0.6, 0.05);

  /** No noise at all (tests, ablations). */
  public static final LandmarkNoise NONE = new LandmarkNoise(0, 0, 0, 1, 0, 0);
}
