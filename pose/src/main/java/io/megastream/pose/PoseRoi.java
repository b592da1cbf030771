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

  /**
   * The person's box in the ROI's upright frame, in units of the detector's circle radius {@code r
   * = side / (2 * SCALE)} (mid-hip to the full-body keypoint): {@link #BODY_HEIGHT} tall, {@link
   * #BODY_WIDTH} wide, its centre {@link #BODY_DROP} below the mid-hip. Measured on rendered people
   * (loadtest's DetectorRecall scenes, seed 7001: medians of the true silhouette box over 233
   * unoccluded detections; the 10th–90th percentiles of the height were 1.74–2.60 r, of the width
   * 0.54–1.06 r, of the drop -0.01–0.24 r).
   */
  public static final double BODY_HEIGHT = 2.2;

  /** See {@link #BODY_HEIGHT}. */
  public static final double BODY_WIDTH = 0.78;

  /** See {@link #BODY_HEIGHT}. */
  public static final double BODY_DROP = 0.09;

  /**
   * The person's box: the bounds of the body rectangle ({@link #BODY_HEIGHT}) in the ROI's upright
   * frame. (x, y, width, height), frame pixels, not clipped.
   */
  public double[] bodyBounds() {
    double radius = side / (2 * SCALE);
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    double halfAcross = BODY_WIDTH / 2 * radius;
    double halfAlong = BODY_HEIGHT / 2 * radius;
    double halfWidth = Math.abs(cos) * halfAcross + Math.abs(sin) * halfAlong;
    double halfHeight = Math.abs(sin) * halfAcross + Math.abs(cos) * halfAlong;
    // the ROI's "down" (0, 1) in the frame is (-sin, cos): see CropWindow
    double x = centerX - sin * BODY_DROP * radius;
    double y = centerY + cos * BODY_DROP * radius;
    return new double[] {x - halfWidth, y - halfHeight, 2 * halfWidth, 2 * halfHeight};
  }

  /**
   * The score-weighted mean of ROIs that are one person seen in several views: centre and side
   * averaged, the angle as the mean of unit vectors; the score is the best one's.
   */
  public static PoseRoi mean(java.util.List<PoseRoi> same) {
    double total = 0;
    double x = 0;
    double y = 0;
    double side = 0;
    double cos = 0;
    double sin = 0;
    float best = 0;
    for (PoseRoi r : same) {
      double w = r.score();
      total += w;
      x += w * r.centerX();
      y += w * r.centerY();
      side += w * r.side();
      cos += w * Math.cos(r.angle());
      sin += w * Math.sin(r.angle());
      best = Math.max(best, r.score());
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException("no ROIs with a positive score to average");
    }
    return new PoseRoi(x / total, y / total, side / total, normalize(Math.atan2(sin, cos)), best);
  }

  /** The landmark crop of this ROI. */
  public CropWindow window() {
    return new CropWindow(centerX, centerY, side, angle);
  }

  static double normalize(double a) {
    return a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI));
  }
}
