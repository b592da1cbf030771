package io.megastream.mega.motion.internal;

/**
 * Shape-preserving piecewise cubic Hermite interpolation (Fritsch-Carlson, "PCHIP"): like a
 * Catmull-Rom spline it is smooth (C1) through its keys, but it never overshoots them, so values
 * between keys that respect box limits respect them too. Immutable and thread-safe.
 */
public final class Pchip {

  private final double[] x;
  private final double[] y;
  private final double[] slope;

  /**
   * @param x strictly increasing knots
   * @param y values at the knots
   * @param restAtEnds whether the slope is 0 at the first and last knot (a motion that starts and
   *     ends at rest); otherwise the end slopes are one-sided differences
   */
  public Pchip(double[] x, double[] y, boolean restAtEnds) {
    if (x.length != y.length || x.length < 2) {
      throw new IllegalArgumentException("need at least two matching knots");
    }
    for (int i = 1; i < x.length; i++) {
      if (!(x[i] > x[i - 1])) {
        throw new IllegalArgumentException("knots must increase: " + x[i - 1] + ", " + x[i]);
      }
    }
    this.x = x.clone();
    this.y = y.clone();
    int n = x.length;
    slope = new double[n];
    for (int i = 1; i < n - 1; i++) {
      double h0 = x[i] - x[i - 1];
      double h1 = x[i + 1] - x[i];
      double d0 = (y[i] - y[i - 1]) / h0;
      double d1 = (y[i + 1] - y[i]) / h1;
      if (d0 * d1 > 0) { // a weighted harmonic mean; 0 at a local extremum
        double w0 = 2 * h1 + h0;
        double w1 = h1 + 2 * h0;
        slope[i] = (w0 + w1) / (w0 / d0 + w1 / d1);
      }
    }
    if (!restAtEnds) {
      slope[0] = (y[1] - y[0]) / (x[1] - x[0]);
      slope[n - 1] = (y[n - 1] - y[n - 2]) / (x[n - 1] - x[n - 2]);
    }
  }

  /** The value at t; constant beyond the ends. */
  public double at(double t) {
    int n = x.length;
    if (t <= x[0]) {
      return y[0];
    }
    if (t >= x[n - 1]) {
      return y[n - 1];
    }
    int lo = 0;
    int hi = n - 1;
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (x[mid] <= t) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double h = x[hi] - x[lo];
    double s = (t - x[lo]) / h;
    double s2 = s * s;
    double s3 = s2 * s;
    return (2 * s3 - 3 * s2 + 1) * y[lo]
        + (s3 - 2 * s2 + s) * h * slope[lo]
        + (-2 * s3 + 3 * s2) * y[hi]
        + (s3 - s2) * h * slope[hi];
  }

  /**
   * A periodic curve over a cycle of length 1, from (phase, value) pairs with phases in [0, 1).
   * Used for gait curves: {@code periodic(0.0, 28, 0.5, -10)} is 28 at heel strike and -10 at half
   * cycle.
   */
  public static Pchip periodic(double... phaseValuePairs) {
    int k = phaseValuePairs.length / 2;
    if (phaseValuePairs.length % 2 != 0 || k < 2) {
      throw new IllegalArgumentException("need at least two (phase, value) pairs");
    }
    // two keys of wrap-around on each side make the slopes at the seam those of a closed curve
    double[] x = new double[k + 4];
    double[] y = new double[k + 4];
    for (int i = -2; i < k + 2; i++) {
      int src = Math.floorMod(i, k);
      x[i + 2] = phaseValuePairs[src * 2] + Math.floorDiv(i, k);
      y[i + 2] = phaseValuePairs[src * 2 + 1];
    }
    return new Pchip(x, y, false);
  }

  /** The value of a periodic curve at a phase (any real; wrapped into [0, 1)). */
  public double atPhase(double phase) {
    return at(phase - Math.floor(phase));
  }
}
