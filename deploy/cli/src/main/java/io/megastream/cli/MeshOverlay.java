package io.megastream.cli;

import io.megastream.mega.body.Joint;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.inference.PersonRecoverer;
import io.megastream.mega.model.OrientedMesh;
import io.megastream.mega.render.Pictures;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Draws recovered meshes onto their frame: the oriented mesh's vertices projected with the
 * predicted weak-perspective camera into the person's crop and back to frame pixels (coloured by
 * per-vertex uncertainty when the person was sampled), and the skeleton.
 */
final class MeshOverlay {

  private MeshOverlay() {}

  static void draw(
      Mat image, SkinnedBodyModel body, PersonRecoverer.Person person, float[] canonical) {
    draw(
        image,
        body,
        canonical,
        person.rotCam(),
        person.crop(),
        person.uncertainty() == null ? null : person.uncertainty().perVertexStdMm());
  }

  /**
   * Draws one recovered person.
   *
   * @param rotCam 6D rotation and (s, tx, ty) of the crop
   * @param vertexSdMm per-vertex uncertainty (colours the mesh), or null
   */
  static void draw(
      Mat image,
      SkinnedBodyModel body,
      float[] canonical,
      float[] rotCam,
      PersonRecoverer.CropWindow w,
      float[] vertexSdMm) {
    OrientedMesh m = OrientedMesh.of(body, canonical, rotCam);
    float s = rotCam[6];
    float tx = rotCam[7];
    float ty = rotCam[8];
    float[] colors = vertexSdMm == null ? null : Pictures.heat(vertexSdMm, 50);
    float[] v = m.vertices();
    for (int i = 0; i < v.length / 3; i += 3) {
      double x = w.centerX() + (s * v[i * 3] + tx) * w.side();
      double y = w.centerY() + (s * v[i * 3 + 1] + ty) * w.side();
      Scalar c =
          colors == null
              ? new Scalar(230, 190, 120, 0)
              : new Scalar(
                  colors[i * 3 + 2] * 255, colors[i * 3 + 1] * 255, colors[i * 3] * 255, 0);
      opencv_imgproc.circle(
          image, new Point((int) Math.round(x), (int) Math.round(y)), 1, c, -1, 8, 0);
    }
    float[] j = m.joints2d();
    for (Joint joint : Joint.values()) {
      Joint parent = joint.parent();
      if (parent == null) {
        continue;
      }
      opencv_imgproc.line(
          image,
          point(j, joint.ordinal(), w),
          point(j, parent.ordinal(), w),
          new Scalar(40, 40, 255, 0),
          2,
          opencv_imgproc.LINE_AA,
          0);
    }
  }

  private static Point point(float[] j2, int k, PersonRecoverer.CropWindow w) {
    double x = w.centerX() + (j2[k * 2] - 0.5) * w.side();
    double y = w.centerY() + (j2[k * 2 + 1] - 0.5) * w.side();
    return new Point((int) Math.round(x), (int) Math.round(y));
  }
}
