package io.megastream.pose;

/**
 * Where a square person crop sits in its frame, without the pixels: centre, side and rotation, and
 * the mapping between crop-normalised points and frame pixels. The geometry of a {@link PersonCrop}
 * and of the {@code Roi} a result carries, so the worker and the consumers of its results map
 * points the same way.
 *
 * <p>A crop point {@code (u, v)} in [0, 1]² maps to the frame as {@code c + R(angle) · ((u - 0.5),
 * (v - 0.5)) · side}, with {@code R} the rotation by {@code angle} in image axes (x right, y down):
 * the convention of MediaPipe's {@code LandmarkProjectionCalculator}.
 *
 * @param centerX centre, frame pixels
 * @param centerY centre, frame pixels
 * @param side side of the square, frame pixels
 * @param angle rotation, radians (0: upright, axis-aligned)
 */
public record CropWindow(double centerX, double centerY, double side, double angle) {

  /**
   * The square the worker cuts around a person box when the detector gives no ROI: centred on the
   * box, {@link PersonCrop#PADDING} × its longer side, upright.
   */
  public static CropWindow around(double x, double y, double width, double height) {
    return new CropWindow(
        x + width / 2, y + height / 2, Math.max(width, height) * PersonCrop.PADDING, 0);
  }

  /** Frame x of a crop-normalised point (u, v) in [0, 1]². */
  public double frameX(double u, double v) {
    return centerX + (Math.cos(angle) * (u - 0.5) - Math.sin(angle) * (v - 0.5)) * side;
  }

  /** Frame y of a crop-normalised point (u, v) in [0, 1]². */
  public double frameY(double u, double v) {
    return centerY + (Math.sin(angle) * (u - 0.5) + Math.cos(angle) * (v - 0.5)) * side;
  }

  /** Crop-normalised u of a frame point (x, y). */
  public double cropU(double x, double y) {
    return (Math.cos(angle) * (x - centerX) + Math.sin(angle) * (y - centerY)) / side + 0.5;
  }

  /** Crop-normalised v of a frame point (x, y). */
  public double cropV(double x, double y) {
    return (-Math.sin(angle) * (x - centerX) + Math.cos(angle) * (y - centerY)) / side + 0.5;
  }

  /** The axis-aligned bounding box of the rotated square: (x, y, width, height). */
  public float[] bounds() {
    double half = side / 2 * (Math.abs(Math.cos(angle)) + Math.abs(Math.sin(angle)));
    return new float[] {
      (float) (centerX - half), (float) (centerY - half), (float) (2 * half), (float) (2 * half)
    };
  }
}
