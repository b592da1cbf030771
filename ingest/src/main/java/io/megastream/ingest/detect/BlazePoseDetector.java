package io.megastream.ingest.detect;

import io.megastream.pose.PoseDetector;
import io.megastream.pose.PoseRoi;
import io.megastream.proto.Box;
import io.megastream.proto.PersonBox;
import io.megastream.proto.Roi;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * MediaPipe's BlazePose person detector ({@link PoseDetector}, on TensorFlow Lite) as ingest's
 * detector: every person it finds, with the landmark ROI MediaPipe's graph would crop (centred on
 * the hips, rotated upright) in {@code PersonBox.roi}. The box is the bounds of a body rectangle in
 * the ROI's frame: as tall as the circle the detector predicts (centre the mid-hip, radius to its
 * full-body keypoint), half as wide, clipped to the frame. Not thread-safe; owns native memory
 * (close it).
 */
public final class BlazePoseDetector implements PersonDetector {

  private final PoseDetector detector;

  /**
   * @throws io.megastream.pose.PoseModelException if the bundled model is missing or corrupt
   */
  public BlazePoseDetector(PoseDetector.Options options) {
    this.detector = PoseDetector.load(options, 1);
  }

  @Override
  public String name() {
    return "blazepose";
  }

  @Override
  public List<PersonBox> detect(Mat bgr) {
    List<PersonBox> out = new ArrayList<>();
    for (PoseRoi r : detector.detect(bgr)) {
      PersonBox p = toPersonBox(r, bgr.cols(), bgr.rows());
      if (p != null) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * The person of an ROI: its {@link PoseRoi#bodyBounds() body box} clipped to a {@code width ×
   * height} frame, with the ROI itself. Null if less than 2 px of it lies in the frame.
   */
  static PersonBox toPersonBox(PoseRoi r, int width, int height) {
    double[] body = r.bodyBounds();
    float x = (float) Math.max(0, body[0]);
    float y = (float) Math.max(0, body[1]);
    float x2 = (float) Math.min(width, body[0] + body[2]);
    float y2 = (float) Math.min(height, body[1] + body[3]);
    if (x2 - x < 2 || y2 - y < 2) {
      return null;
    }
    return PersonBox.newBuilder()
        .setBox(Box.newBuilder().setX(x).setY(y).setWidth(x2 - x).setHeight(y2 - y))
        .setScore(r.score())
        .setRoi(
            Roi.newBuilder()
                .setCenterX((float) r.centerX())
                .setCenterY((float) r.centerY())
                .setSide((float) r.side())
                .setAngle((float) r.angle()))
        .build();
  }

  @Override
  public void close() {
    detector.close();
  }
}
