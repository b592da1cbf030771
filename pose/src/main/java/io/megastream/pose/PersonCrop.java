package io.megastream.pose;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A square, person-centred crop of a frame, resized for a model and optionally rotated upright (as
 * MediaPipe's ROI is), and the mapping back to frame pixels. Parts of the square outside the frame
 * are black.
 *
 * <p>Points map between the crop and the frame as its {@link #window()} says.
 *
 * @param image the crop, {@code size × size}, 8-bit BGR; owned by the caller (close it)
 * @param centerX crop centre in frame pixels
 * @param centerY crop centre in frame pixels
 * @param side side of the square in frame pixels
 * @param angle the ROI's rotation, radians (0: upright, axis-aligned)
 */
public record PersonCrop(Mat image, double centerX, double centerY, double side, double angle)
    implements AutoCloseable {

  /** Default margin around the person box: the square's side over the box's longer side. */
  public static final double PADDING = 1.25;

  /**
   * Crops a box (frame pixels) to a {@code size × size} square around its centre.
   *
   * @throws IllegalArgumentException if the box is empty
   */
  public static PersonCrop of(
      Mat frame, double x, double y, double width, double height, double padding, int size) {
    if (!(width > 0 && height > 0)) {
      throw new IllegalArgumentException("empty person box " + width + "x" + height);
    }
    return of(frame, x + width / 2, y + height / 2, Math.max(width, height) * padding, 0, size);
  }

  /**
   * Crops a rotated square ROI (frame pixels) to a {@code size × size} image in which the ROI is
   * upright.
   *
   * @param angle the ROI's rotation, radians
   * @throws IllegalArgumentException if the side is not positive
   */
  public static PersonCrop of(
      Mat frame, double cx, double cy, double side, double angle, int size) {
    if (!(side > 0)) {
      throw new IllegalArgumentException("empty ROI, side " + side);
    }
    double s = size / side;
    double cos = Math.cos(angle) * s;
    double sin = Math.sin(angle) * s;
    Mat out = new Mat();
    try (Mat m = new Mat(2, 3, opencv_core.CV_64F)) {
      // crop = size/2 + s * R(-angle) * (p - c)
      java.nio.DoubleBuffer b = (java.nio.DoubleBuffer) m.createBuffer();
      b.put(
          new double[] {
            cos, sin, size / 2.0 - cos * cx - sin * cy, -sin, cos, size / 2.0 + sin * cx - cos * cy
          });
      opencv_imgproc.warpAffine(
          frame,
          out,
          m,
          new Size(size, size),
          opencv_imgproc.INTER_LINEAR,
          opencv_core.BORDER_CONSTANT,
          new Scalar(0.0));
    }
    return new PersonCrop(out, cx, cy, side, angle);
  }

  /** Where the crop sits in its frame. */
  public CropWindow window() {
    return new CropWindow(centerX, centerY, side, angle);
  }

  /** Frame x of a crop-normalised point (u, v) in [0, 1]². */
  public double frameX(double u, double v) {
    return window().frameX(u, v);
  }

  /** Frame y of a crop-normalised point (u, v) in [0, 1]². */
  public double frameY(double u, double v) {
    return window().frameY(u, v);
  }

  /** Crop-normalised u of a frame point (x, y). */
  public double cropU(double x, double y) {
    return window().cropU(x, y);
  }

  /** Crop-normalised v of a frame point (x, y). */
  public double cropV(double x, double y) {
    return window().cropV(x, y);
  }

  /** Frame x of a crop-normalised x; an upright crop only (x does not depend on y there). */
  public double frameX(double u) {
    requireUpright();
    return frameX(u, 0.5);
  }

  /** Frame y of a crop-normalised y; an upright crop only. */
  public double frameY(double v) {
    requireUpright();
    return frameY(0.5, v);
  }

  /** Crop-normalised x of a frame x; an upright crop only. */
  public double cropX(double x) {
    requireUpright();
    return cropU(x, centerY);
  }

  /** Crop-normalised y of a frame y; an upright crop only. */
  public double cropY(double y) {
    requireUpright();
    return cropV(centerX, y);
  }

  private void requireUpright() {
    if (angle != 0) {
      throw new IllegalStateException("a rotated crop maps points, not single coordinates");
    }
  }

  @Override
  public void close() {
    image.close();
  }
}
