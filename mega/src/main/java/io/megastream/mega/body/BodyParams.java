package io.megastream.mega.body;

import java.util.Arrays;

/**
 * The parameters of one posed body: pose as 24 axis-angle rotations (joint 0 is the global
 * orientation), shape coefficients and a translation. Arrays are copied in and out.
 *
 * @param pose 72 values: 24 joints x (x, y, z) axis-angle, radians, relative to the parent
 * @param shape shape coefficients (length = the model's shape count, or fewer: the rest are 0)
 * @param translation 3 values, metres
 */
public record BodyParams(double[] pose, double[] shape, double[] translation) {

  public BodyParams {
    if (pose.length != Joint.COUNT * 3) {
      throw new IllegalArgumentException("pose needs 72 values, has " + pose.length);
    }
    if (translation.length != 3) {
      throw new IllegalArgumentException("translation needs 3 values, has " + translation.length);
    }
    pose = pose.clone();
    shape = shape.clone();
    translation = translation.clone();
  }

  /** Rest pose, mean shape, at the origin. */
  public static BodyParams rest(int shapeCount) {
    return new BodyParams(new double[72], new double[shapeCount], new double[3]);
  }

  @Override
  public double[] pose() {
    return pose.clone();
  }

  @Override
  public double[] shape() {
    return shape.clone();
  }

  @Override
  public double[] translation() {
    return translation.clone();
  }

  /** A copy with joint {@code j}'s axis-angle replaced. */
  public BodyParams withJoint(Joint j, double x, double y, double z) {
    double[] p = pose.clone();
    p[j.ordinal() * 3] = x;
    p[j.ordinal() * 3 + 1] = y;
    p[j.ordinal() * 3 + 2] = z;
    return new BodyParams(p, shape, translation);
  }

  /** A copy without global orientation and translation: the canonical pose the tokenizer sees. */
  public BodyParams canonical() {
    double[] p = pose.clone();
    p[0] = p[1] = p[2] = 0;
    return new BodyParams(p, shape, new double[3]);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BodyParams b
        && Arrays.equals(pose, b.pose)
        && Arrays.equals(shape, b.shape)
        && Arrays.equals(translation, b.translation);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(pose) * 31 * 31
        + Arrays.hashCode(shape) * 31
        + Arrays.hashCode(translation);
  }

  @Override
  public String toString() {
    return "BodyParams[pose=" + Arrays.toString(pose) + ", shape=" + Arrays.toString(shape) + "]";
  }
}
