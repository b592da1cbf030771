package io.megastream.sink.overlay;

import io.megastream.mega.body.Joint;
import io.megastream.mega.render.Pictures;
import io.megastream.pose.CropWindow;
import io.megastream.sink.decode.DecodedPerson;
import io.megastream.sink.decode.MeshDecoder;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Draws a decoded person onto its frame: every third vertex projected with the predicted
 * weak-perspective camera into the person's crop and back to frame pixels (coloured by per-vertex
 * uncertainty when the person was sampled), and the skeleton.
 */
public final class MeshOverlay {

  private MeshOverlay() {}

  /** Draws one person; a result without a mesh draws nothing. */
  public static void draw(Mat image, DecodedPerson person) {
    if (!person.hasMesh()) {
      return;
    }
    var r = person.result();
    CropWindow w = MeshDecoder.window(r);
    float s = r.getCamera(0);
    float tx = r.getCamera(1);
    float ty = r.getCamera(2);
    float[] colors = person.vertexSdMm() == null ? null : Pictures.heat(person.vertexSdMm(), 50);
    float[] v = person.vertices();
    for (int i = 0; i < v.length / 3; i += 3) {
      double u = 0.5 + s * v[i * 3] + tx;
      double q = 0.5 + s * v[i * 3 + 1] + ty;
      double x = w.frameX(u, q);
      double y = w.frameY(u, q);
      Scalar c =
          colors == null
              ? new Scalar(230, 190, 120, 0)
              : new Scalar(
                  colors[i * 3 + 2] * 255, colors[i * 3 + 1] * 255, colors[i * 3] * 255, 0);
      opencv_imgproc.circle(
          image, new Point((int) Math.round(x), (int) Math.round(y)), 1, c, -1, 8, 0);
    }
    float[] j = person.joints2d();
    for (Joint joint : Joint.values()) {
      Joint parent = joint.parent();
      if (parent == null) {
        continue;
      }
      opencv_imgproc.line(
          image,
          point(j, joint.ordinal()),
          point(j, parent.ordinal()),
          new Scalar(40, 40, 255, 0),
          2,
          opencv_imgproc.LINE_AA,
          0);
    }
  }

  private static Point point(float[] j2, int k) {
    return new Point(Math.round(j2[k * 2]), Math.round(j2[k * 2 + 1]));
  }
}
