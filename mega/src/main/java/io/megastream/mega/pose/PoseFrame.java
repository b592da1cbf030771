package io.megastream.mega.pose;

import io.megastream.mega.eval.Procrustes;

/**
 * The body frame seen in BlazePose's world landmarks, in closed form: the rotation that best turns
 * the rest torso (shoulders and hips of the mean body) onto the observed one (Kabsch, by Horn's
 * method). A {@code canonicalPose} MEGA reads its landmarks turned into this frame, so it sees pose
 * rather than viewpoint, and predicts its rotation relative to the frame: the closed-form rotation
 * is its floor.
 */
public final class PoseFrame {

  private static final int[] TORSO = {11, 12, 23, 24};

  /**
   * Shoulders and hips of the procedural body's mean shape in its T-pose, metres, mid-hip at the
   * origin, body frame (y up, facing +z, its left +x). Only directions matter: these are the
   * reference, the same in training and serving.
   */
  private static final double[][] REST_TORSO = {
    {0.185, 0.540, -0.025}, {-0.185, 0.540, -0.025}, {0.095, 0, 0}, {-0.095, 0, 0}
  };

  private PoseFrame() {}

  /**
   * The body-to-camera rotation of the torso in conditioning features (3×3, row-major); the
   * identity when the torso landmarks were all lost.
   */
  public static double[] of(float[] features) {
    float[] world = PoseConditioning.world(features);
    double[][] seen = new double[TORSO.length][3];
    double spread = 0;
    for (int i = 0; i < TORSO.length; i++) {
      for (int a = 0; a < 3; a++) {
        seen[i][a] = world[TORSO[i] * 3 + a];
        spread += Math.abs(seen[i][a]);
      }
    }
    if (spread < 1e-6) {
      return new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
    }
    return Procrustes.rotation(REST_TORSO, seen);
  }

  /** A copy of the features with the world landmarks turned from the camera into {@code frame}. */
  public static float[] canonicalise(float[] features, double[] frame) {
    float[] out = features.clone();
    for (int k = 0; k < PoseConditioning.TOKENS; k++) {
      int i = k * PoseConditioning.FEATURES + PoseConditioning.WORLD;
      double x = features[i];
      double y = features[i + 1];
      double z = features[i + 2];
      // frameᵀ · (x, y, z)
      out[i] = (float) (frame[0] * x + frame[3] * y + frame[6] * z);
      out[i + 1] = (float) (frame[1] * x + frame[4] * y + frame[7] * z);
      out[i + 2] = (float) (frame[2] * x + frame[5] * y + frame[8] * z);
    }
    return out;
  }

  /** A 6D rotation (two 3-vectors) predicted in {@code frame}, turned into the camera frame. */
  public static float[] toCamera(float[] sixD, double[] frame) {
    float[] out = sixD.clone();
    for (int v = 0; v < 2; v++) {
      double x = sixD[v * 3];
      double y = sixD[v * 3 + 1];
      double z = sixD[v * 3 + 2];
      for (int a = 0; a < 3; a++) {
        out[v * 3 + a] = (float) (frame[a * 3] * x + frame[a * 3 + 1] * y + frame[a * 3 + 2] * z);
      }
    }
    return out;
  }
}
