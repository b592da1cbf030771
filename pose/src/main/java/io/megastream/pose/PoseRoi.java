package io.megastream.pose;

/**
 * A person's region of interest as MediaPipe's {@code pose_detection_to_roi} graph makes it: a
 * square centred on the mid-hip keypoint, of side 2 x |kp1 - kp0| x 1.25, rotated so that the body
 * is upright in the crop. In frame pixels.
 *
 * @param centerX centre, frame pixels
 * @param centerY centre, frame pixels
 * @param side side of the square, frame pixels
 * @param angle rotation, radians in [-pi, pi): 0 when the body is upright in the frame
 * @param score the detector's probability
 */
public record PoseRoi(double centerX, double centerY, double side, double angle, float score) {

  /** MediaPipe's {@code RectTransformationCalculator} scale for the landmark crop. */
  public static final double SCALE = 1.25;

  /**
   * The ROI of a detection normalised to the detector's input.
   *
   * @param pixels frame pixels per detector-normalised unit
   * @param offsetX frame x of detector x = 0 (negative when letterboxed)
   * @param offsetY frame y of detector y = 0
   */
  static PoseRoi of(PoseDetections.Detection d, double pixels, double offsetX, double offsetY) {
    double x0 = d.keypointX(0) * pixels - offsetX;
    double y0 = d.keypointY(0) * pixels - offsetY;
    double x1 = d.keypointX(1) * pixels - offsetX;
    double y1 = d.keypointY(1) * pixels - offsetY;
    return fromKeypoints(x0, y0, x1, y1, d.score());
  }

  /**
   * From the mid-hip keypoint (x0, y0) and the full-body keypoint (x1, y1), frame pixels: {@code
   * AlignmentPointsRectsCalculator} with a target angle of 90 degrees.
   */
  public static PoseRoi fromKeypoints(double x0, double y0, double x1, double y1, float score) {
    double side = 2 * Math.hypot(x1 - x0, y1 - y0) * SCALE;
    double angle = normalize(Math.PI / 2 - Math.atan2(-(y1 - y0), x1 - x0));
    return new PoseRoi(x0, y0, side, angle, score);
  }

  /** The axis-aligned bounding box of the rotated square: (x, y, width, height). */
  public float[] bounds() {
    return window().bounds();
  }

  /** The landmark crop of this ROI. */
  public CropWindow window() {
    return new CropWindow(centerX, centerY, side, angle);
  }

  static double normalize(double a) {
    return a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI));
  }
}
