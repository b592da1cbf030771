package io.megastream.mega.eval;

import io.megastream.mega.body.Joint;
import io.megastream.mega.body.SkinnedBodyModel;

/**
 * The paper's mesh metrics on one prediction, in millimetres: PVE (mean vertex error), MPJPE (mean
 * error of the 14 LSP joints after aligning the pelvis) and PA-MPJPE (the same after the best
 * similarity transform, Procrustes). Meshes are V × 3 arrays in metres. Thread-safe.
 */
public final class MeshMetrics {

  private final SkinnedBodyModel body;

  public MeshMetrics(SkinnedBodyModel body) {
    this.body = body;
  }

  /** Mean vertex distance after aligning the pelvis joints, mm. */
  public double pve(float[] predicted, float[] truth) {
    double[] shift = pelvisShift(predicted, truth);
    double s = 0;
    for (int i = 0; i < truth.length; i += 3) {
      s += dist(predicted, i, truth, i, shift);
    }
    return s / (truth.length / 3) * 1000;
  }

  /** Per-vertex distance after aligning the pelvis joints, mm (V values). */
  public float[] perVertexErrorMm(float[] predicted, float[] truth) {
    double[] shift = pelvisShift(predicted, truth);
    float[] out = new float[truth.length / 3];
    for (int i = 0; i < truth.length; i += 3) {
      out[i / 3] = (float) (dist(predicted, i, truth, i, shift) * 1000);
    }
    return out;
  }

  /** BlazePose's limb landmarks: shoulders, elbows, wrists, hips, knees, ankles. */
  private static final int[] SHARED_LANDMARKS = {11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28};

  /**
   * MPJPE (mid-hip aligned) and PA-MPJPE on the 12 limb landmarks BlazePose shares with the body
   * model, mm. Both sides are 33 × 3 landmarks in one frame (any origin): BlazePose's own, or read
   * off a mesh with {@link #landmarks}, so landmark and mesh predictions are scored on identical
   * points.
   *
   * @return {MPJPE, PA-MPJPE}
   */
  public double[] landmarkErrors(float[] predicted, float[] truth) {
    double[][] x = sharedPoints(predicted);
    double[][] y = sharedPoints(truth);
    double[][] aligned = Procrustes.align(x, y);
    double mp = 0;
    double pa = 0;
    for (int i = 0; i < x.length; i++) {
      mp += dist(x[i], y[i]);
      pa += dist(aligned[i], y[i]);
    }
    return new double[] {mp / x.length * 1000, pa / x.length * 1000};
  }

  /** The body model's 33 landmarks on a mesh (V × 3), or null if the model defines none. */
  public float[] landmarks(float[] mesh) {
    return body.landmarks() == null ? null : body.landmarks().positions(mesh);
  }

  /** The shared landmarks, mid-hip at the origin. */
  private static double[][] sharedPoints(float[] lm) {
    double[] hip = new double[3];
    for (int a = 0; a < 3; a++) {
      hip[a] = (lm[23 * 3 + a] + lm[24 * 3 + a]) / 2.0;
    }
    double[][] p = new double[SHARED_LANDMARKS.length][3];
    for (int i = 0; i < p.length; i++) {
      for (int a = 0; a < 3; a++) {
        p[i][a] = lm[SHARED_LANDMARKS[i] * 3 + a] - hip[a];
      }
    }
    return p;
  }

  private static double dist(double[] a, double[] b) {
    double dx = a[0] - b[0];
    double dy = a[1] - b[1];
    double dz = a[2] - b[2];
    return Math.sqrt(dx * dx + dy * dy + dz * dz);
  }

  /** Mean LSP-14 joint distance after aligning the pelvis, mm. */
  public double mpjpe(float[] predicted, float[] truth) {
    float[] jp = body.regressJoints(predicted);
    float[] jt = body.regressJoints(truth);
    double[] shift = {jt[0] - jp[0], jt[1] - jp[1], jt[2] - jp[2]};
    double s = 0;
    for (Joint j : Joint.LSP14) {
      int k = j.ordinal() * 3;
      s += dist(jp, k, jt, k, shift);
    }
    return s / Joint.LSP14.size() * 1000;
  }

  /** Mean LSP-14 joint distance after Procrustes alignment (rotation, scale, translation), mm. */
  public double paMpjpe(float[] predicted, float[] truth) {
    float[] jp = body.regressJoints(predicted);
    float[] jt = body.regressJoints(truth);
    int n = Joint.LSP14.size();
    double[][] x = new double[n][3];
    double[][] y = new double[n][3];
    for (int i = 0; i < n; i++) {
      int k = Joint.LSP14.get(i).ordinal() * 3;
      for (int a = 0; a < 3; a++) {
        x[i][a] = jp[k + a];
        y[i][a] = jt[k + a];
      }
    }
    double[][] aligned = Procrustes.align(x, y);
    double s = 0;
    for (int i = 0; i < n; i++) {
      double dx = aligned[i][0] - y[i][0];
      double dy = aligned[i][1] - y[i][1];
      double dz = aligned[i][2] - y[i][2];
      s += Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
    return s / n * 1000;
  }

  private double[] pelvisShift(float[] predicted, float[] truth) {
    float[] jp = body.regressJoints(predicted);
    float[] jt = body.regressJoints(truth);
    return new double[] {jt[0] - jp[0], jt[1] - jp[1], jt[2] - jp[2]};
  }

  private static double dist(float[] a, int i, float[] b, int j, double[] shift) {
    double dx = a[i] + shift[0] - b[j];
    double dy = a[i + 1] + shift[1] - b[j + 1];
    double dz = a[i + 2] + shift[2] - b[j + 2];
    return Math.sqrt(dx * dx + dy * dy + dz * dz);
  }
}
