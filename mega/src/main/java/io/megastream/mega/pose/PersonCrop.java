package io.megastream.mega.pose;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A square, person-centred crop of a frame, resized for a model, and the mapping back to frame
 * pixels. Parts of the square outside the frame are black.
 *
 * @param image the crop, {@code size × size}, 8-bit BGR; owned by the caller (close it)
 * @param centerX crop centre in frame pixels
 * @param centerY crop centre in frame pixels
 * @param side side of the square in frame pixels
 */
public record PersonCrop(Mat image, double centerX, double centerY, double side)
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
    double side = Math.max(width, height) * padding;
    double cx = x + width / 2;
    double cy = y + height / 2;
    double s = size / side;
    Mat out = new Mat();
    try (Mat m = new Mat(2, 3, opencv_core.CV_64F)) {
      java.nio.DoubleBuffer b = (java.nio.DoubleBuffer) m.createBuffer();
      b.put(new double[] {s, 0, size / 2.0 - s * cx, 0, s, size / 2.0 - s * cy});
      opencv_imgproc.warpAffine(
          frame,
          out,
          m,
          new Size(size, size),
          opencv_imgproc.INTER_LINEAR,
          opencv_core.BORDER_CONSTANT,
          new Scalar(0.0));
    }
    return new PersonCrop(out, cx, cy, side);
  }

  /** Frame x of a crop-normalised x in [0, 1]. */
  public double frameX(double u) {
    return centerX + (u - 0.5) * side;
  }

  /** Frame y of a crop-normalised y in [0, 1]. */
  public double frameY(double v) {
    return centerY + (v - 0.5) * side;
  }

  /** Crop-normalised x of a frame x. */
  public double cropX(double x) {
    return (x - centerX) / side + 0.5;
  }

  /** Crop-normalised y of a frame y. */
  public double cropY(double y) {
    return (y - centerY) / side + 0.5;
  }

  @Override
  public void close() {
    image.close();
  }
}
