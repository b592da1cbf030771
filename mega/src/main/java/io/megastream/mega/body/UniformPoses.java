package io.megastream.mega.body;

import java.util.Random;

/**
 * Independent, uniformly random joint angles within {@link JointLimits}: far more varied than real
 * motion, whose joints move together. Used as a stress test, never for training. Not thread-safe
 * (owns a {@link Random}).
 */
public final class UniformPoses {

  private final Random random;
  private final int shapeCount;

  public UniformPoses(long seed, int shapeCount) {
    this.random = new Random(seed);
    this.shapeCount = shapeCount;
  }

  /** A random canonical body: random angles within the limits, shape ~ N(0, 1). */
  public BodyParams next() {
    double[] pose = new double[Joint.COUNT * 3];
    for (Joint j : Joint.values()) {
      if (j == Joint.PELVIS) {
        continue;
      }
      JointLimits.Range r = JointLimits.of(j);
      double a = r.minX() + random.nextDouble() * (r.maxX() - r.minX());
      double b = r.minY() + random.nextDouble() * (r.maxY() - r.minY());
      double c = r.minZ() + random.nextDouble() * (r.maxZ() - r.minZ());
      double[] aa = Rotations.toAxisAngle(JointLimits.fromEulerXyz(a, b, c));
      System.arraycopy(aa, 0, pose, j.ordinal() * 3, 3);
    }
    double[] shape = new double[shapeCount];
    for (int i = 0; i < shapeCount; i++) {
      shape[i] = Math.max(-2.5, Math.min(2.5, random.nextGaussian()));
    }
    return new BodyParams(pose, shape, new double[3]);
  }
}
