package io.megastream.mega.body;

/** Small helpers on vertex arrays (V × 3, metres). */
public final class Meshes {

  private Meshes() {}

  /**
   * Mean Euclidean distance between corresponding vertices, in the arrays' unit; no alignment.
   *
   * @throws IllegalArgumentException if the arrays differ in length
   */
  public static double meanVertexDistance(float[] a, float[] b) {
    if (a.length != b.length || a.length % 3 != 0) {
      throw new IllegalArgumentException("meshes of " + a.length + " and " + b.length + " values");
    }
    double s = 0;
    for (int i = 0; i < a.length; i += 3) {
      double dx = a[i] - b[i];
      double dy = a[i + 1] - b[i + 1];
      double dz = a[i + 2] - b[i + 2];
      s += Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
    return s / (a.length / 3);
  }

  /**
   * Average pairwise distance of a set of meshes (APD, the diversity of random generations): the
   * mean over pairs of their mean vertex distance, metres; 0 for fewer than two meshes.
   */
  public static double averagePairwiseDistance(java.util.List<float[]> meshes) {
    double sum = 0;
    int pairs = 0;
    for (int i = 0; i < meshes.size(); i++) {
      for (int j = i + 1; j < meshes.size(); j++) {
        sum += meanVertexDistance(meshes.get(i), meshes.get(j));
        pairs++;
      }
    }
    return pairs == 0 ? 0 : sum / pairs;
  }
}
