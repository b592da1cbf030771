package io.megastream.mega.model;

import io.megastream.mega.body.Joint;
import io.megastream.mega.body.Rotations;
import io.megastream.mega.body.SkinnedBodyModel;

/**
 * A recovered person in the camera frame: the decoded canonical mesh turned by the predicted global
 * rotation (about the pelvis, which stays at the origin), its joints, and the joints projected into
 * the person crop with the predicted weak-perspective camera.
 *
 * @param vertices V × 3, metres, camera axes (x right, y down, z away from the camera)
 * @param joints 24 × 3, same frame
 * @param joints2d 24 × 2 in the crop, x and y in [0, 1] of its width and height
 * @param rotation 3 × 3 body-to-camera rotation, row-major
 */
public record OrientedMesh(float[] vertices, float[] joints, float[] joints2d, double[] rotation) {

  /**
   * Orients a decoded canonical mesh with a prediction's rotation and camera.
   *
   * @param canonical V × 3 canonical vertices (the tokenizer's output), metres
   * @param rotCam 6D rotation then (scale, tx, ty), as the network's head predicts them
   */
  public static OrientedMesh of(SkinnedBodyModel body, float[] canonical, float[] rotCam) {
    double[] r6 = new double[6];
    for (int i = 0; i < 6; i++) {
      r6[i] = rotCam[i];
    }
    double[] r = Rotations.from6d(r6);
    float[] j = body.regressJoints(canonical);
    double px = j[0];
    double py = j[1];
    double pz = j[2];
    float[] v = turn(canonical, r, px, py, pz);
    float[] joints = turn(j, r, px, py, pz);
    float[] j2 = new float[Joint.COUNT * 2];
    for (int k = 0; k < Joint.COUNT; k++) {
      j2[k * 2] = rotCam[6] * joints[k * 3] + rotCam[7] + 0.5f;
      j2[k * 2 + 1] = rotCam[6] * joints[k * 3 + 1] + rotCam[8] + 0.5f;
    }
    return new OrientedMesh(v, joints, j2, r);
  }

  private static float[] turn(float[] p, double[] r, double px, double py, double pz) {
    float[] out = new float[p.length];
    for (int i = 0; i < p.length; i += 3) {
      double x = p[i] - px;
      double y = p[i + 1] - py;
      double z = p[i + 2] - pz;
      out[i] = (float) (r[0] * x + r[1] * y + r[2] * z);
      out[i + 1] = (float) (r[3] * x + r[4] * y + r[5] * z);
      out[i + 2] = (float) (r[6] * x + r[7] * y + r[8] * z);
    }
    return out;
  }
}
