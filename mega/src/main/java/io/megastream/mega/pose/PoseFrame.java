package io.megastream.mega.pose;

import io.megastream.mega.body.Rotations;

/**
 * The body frame seen in BlazePose's world landmarks, in closed form: the rotation that best turns
 * the rest torso (shoulders and hips of the mean body) onto the observed one (Kabsch, by Horn's
 * method). A {@code canonicalPose} MEGA reads its landmarks turned into this frame, so it sees pose
 * rather than viewpoint, and predicts its rotation relative to the frame: the closed-form rotation
 * ({@link TorsoRotation}) is its floor.
 */
public final class PoseFrame {

  /**
   * The torso reference: shoulders and hips of the procedural body's mean shape in its T-pose,
   * metres, mid-hip at the origin, body frame (y up, facing +z, its left +x), rounded to the
   * millimetre. Fixed here (the model carries no body model); PoseFrameTest checks them against
   * {@link TorsoRotation} of the body model itself.
   */
  private static final TorsoRotation MEAN_BODY =
      TorsoRotation.ofTorso(
          new double[][] {
            {0.185, 0.540, -0.025}, {-0.185, 0.540, -0.025}, {0.095, 0, 0}, {-0.095, 0, 0}
          });

  private PoseFrame() {}

  /**
   * The body-to-camera rotation of the torso in conditioning features (3×3, row-major); the
   * identity when the torso landmarks were all lost.
   */
  public static double[] of(float[] features) {
    float[] world = PoseConditioning.world(features);
    double spread = 0;
    for (int k : TorsoRotation.TORSO) {
      for (int a = 0; a < 3; a++) {
        spread += Math.abs(world[k * 3 + a]);
      }
    }
    if (spread < 1e-6) {
      return new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
    }
    return MEAN_BODY.fromWorld(world);
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
    if (sixD.length != 6) {
      throw new IllegalArgumentException("want a 6D rotation, got " + sixD.length + " values");
    }
    return Rotations.rotate(sixD, frame);
  }
}
