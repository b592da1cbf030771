package io.megastream.mega.model;

import java.util.List;

/**
 * How much Q sampled meshes of one person disagree, in millimetres: per vertex, the standard
 * deviation (root mean square distance of the samples to their mean, the paper's measure) and the
 * mean distance to the sample mean (the published code's measure); summaries over the mesh.
 *
 * @param perVertexStdMm V values
 * @param meanStdMm mean of the per-vertex standard deviations
 * @param maxStdMm largest per-vertex standard deviation
 * @param meanDistanceToMeanMm mean over vertices and samples of the distance to the sample mean
 */
public record Uncertainty(
    float[] perVertexStdMm, double meanStdMm, double maxStdMm, double meanDistanceToMeanMm) {

  /**
   * Measures decoded sample meshes (each V × 3, metres).
   *
   * @throws IllegalArgumentException with fewer than two samples or meshes of different sizes
   */
  public static Uncertainty of(List<float[]> samples) {
    if (samples.size() < 2) {
      throw new IllegalArgumentException("uncertainty needs at least two samples");
    }
    int n = samples.get(0).length;
    for (float[] s : samples) {
      if (s.length != n) {
        throw new IllegalArgumentException("samples have different vertex counts");
      }
    }
    int q = samples.size();
    int v = n / 3;
    float[] std = new float[v];
    double sumStd = 0;
    double maxStd = 0;
    double sumDist = 0;
    for (int i = 0; i < v; i++) {
      double mx = 0;
      double my = 0;
      double mz = 0;
      for (float[] s : samples) {
        mx += s[i * 3];
        my += s[i * 3 + 1];
        mz += s[i * 3 + 2];
      }
      mx /= q;
      my /= q;
      mz /= q;
      double sq = 0;
      double dist = 0;
      for (float[] s : samples) {
        double dx = s[i * 3] - mx;
        double dy = s[i * 3 + 1] - my;
        double dz = s[i * 3 + 2] - mz;
        double d2 = dx * dx + dy * dy + dz * dz;
        sq += d2;
        dist += Math.sqrt(d2);
      }
      double sd = Math.sqrt(sq / q) * 1000;
      std[i] = (float) sd;
      sumStd += sd;
      maxStd = Math.max(maxStd, sd);
      sumDist += dist / q * 1000;
    }
    return new Uncertainty(std, sumStd / v, maxStd, sumDist / v);
  }
}
