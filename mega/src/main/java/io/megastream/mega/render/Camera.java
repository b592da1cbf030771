package io.megastream.mega.render;

/**
 * A pinhole camera looking down +z of its own frame (x right, y down in the image): world points
 * are mapped by {@code x_cam = R (x_world - position)} then projected with the intrinsics.
 *
 * @param fx focal length in pixels, x
 * @param fy focal length in pixels, y
 * @param cx principal point x, pixels
 * @param cy principal point y, pixels
 * @param rotation world-to-camera rotation, row-major 3x3
 * @param position camera centre in world coordinates
 */
public record Camera(
    double fx, double fy, double cx, double cy, double[] rotation, double[] position) {

  public Camera {
    if (rotation.length != 9 || position.length != 3) {
      throw new IllegalArgumentException("rotation must be 3x3 and position a 3-vector");
    }
    rotation = rotation.clone();
    position = position.clone();
  }

  /**
   * A camera at {@code eye} looking at {@code target} with world +y up (y-up world, image y down).
   */
  public static Camera lookAt(double[] eye, double[] target, double focal, int width, int height) {
    double[] f = normalize(sub(target, eye)); // camera +z
    double[] up = {0, 1, 0};
    double[] right = normalize(cross(f, up)); // camera +x ... image right
    double[] down = cross(f, right); // camera +y (image down)
    double[] r = {right[0], right[1], right[2], down[0], down[1], down[2], f[0], f[1], f[2]};
    return new Camera(focal, focal, width / 2.0, height / 2.0, r, eye);
  }

  /** World point to camera coordinates. */
  public double[] toCamera(double x, double y, double z) {
    double dx = x - position[0];
    double dy = y - position[1];
    double dz = z - position[2];
    return new double[] {
      rotation[0] * dx + rotation[1] * dy + rotation[2] * dz,
      rotation[3] * dx + rotation[4] * dy + rotation[5] * dz,
      rotation[6] * dx + rotation[7] * dy + rotation[8] * dz
    };
  }

  /** World point to pixel coordinates (u, v, depth); depth <= 0 means behind the camera. */
  public double[] project(double x, double y, double z) {
    double[] c = toCamera(x, y, z);
    return new double[] {fx * c[0] / c[2] + cx, fy * c[1] / c[2] + cy, c[2]};
  }

  @Override
  public double[] rotation() {
    return rotation.clone();
  }

  @Override
  public double[] position() {
    return position.clone();
  }

  static double[] sub(double[] a, double[] b) {
    return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
  }

  static double[] cross(double[] a, double[] b) {
    return new double[] {
      a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]
    };
  }

  static double[] normalize(double[] a) {
    double n = Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    return new double[] {a[0] / n, a[1] / n, a[2] / n};
  }
}
