package io.megastream.mega.body;

import java.util.List;

/**
 * SMPL's 24-joint kinematic tree, with SMPL's names and order. The parent of each joint comes
 * before it, so forward kinematics runs in declaration order. "Left" is the body's own left.
 */
public enum Joint {
  PELVIS(-1),
  LEFT_HIP(0),
  RIGHT_HIP(0),
  SPINE1(0),
  LEFT_KNEE(1),
  RIGHT_KNEE(2),
  SPINE2(3),
  LEFT_ANKLE(4),
  RIGHT_ANKLE(5),
  SPINE3(6),
  LEFT_FOOT(7),
  RIGHT_FOOT(8),
  NECK(9),
  LEFT_COLLAR(9),
  RIGHT_COLLAR(9),
  HEAD(12),
  LEFT_SHOULDER(13),
  RIGHT_SHOULDER(14),
  LEFT_ELBOW(16),
  RIGHT_ELBOW(17),
  LEFT_WRIST(18),
  RIGHT_WRIST(19),
  LEFT_HAND(20),
  RIGHT_HAND(21);

  /** Number of joints (24). */
  public static final int COUNT = 24;

  private static final Joint[] VALUES = values();

  private final int parent;

  Joint(int parent) {
    this.parent = parent;
  }

  /** Index of the parent joint, -1 for the root. */
  public int parentIndex() {
    return parent;
  }

  /** The parent joint, or null for the root. */
  public Joint parent() {
    return parent < 0 ? null : VALUES[parent];
  }

  /** SMPL's lower-case name, e.g. {@code left_elbow}. */
  public String smplName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The joint with SMPL's index. */
  public static Joint of(int index) {
    return VALUES[index];
  }

  /** SMPL's parent array: {@code parents()[k]} is the parent index of joint k, -1 for the root. */
  public static int[] parents() {
    int[] p = new int[COUNT];
    for (Joint j : VALUES) {
      p[j.ordinal()] = j.parent;
    }
    return p;
  }

  /** The mirror joint (left for right and vice versa; itself on the mid-line). */
  public Joint mirror() {
    String n = name();
    if (n.startsWith("LEFT_")) {
      return valueOf("RIGHT_" + n.substring(5));
    }
    if (n.startsWith("RIGHT_")) {
      return valueOf("LEFT_" + n.substring(6));
    }
    return this;
  }

  /**
   * The 14 joints common to MPJPE benchmarks (LSP order): ankles, knees, hips, wrists, elbows,
   * shoulders, neck, head.
   */
  public static final List<Joint> LSP14 =
      List.of(
          RIGHT_ANKLE,
          RIGHT_KNEE,
          RIGHT_HIP,
          LEFT_HIP,
          LEFT_KNEE,
          LEFT_ANKLE,
          RIGHT_WRIST,
          RIGHT_ELBOW,
          RIGHT_SHOULDER,
          LEFT_SHOULDER,
          LEFT_ELBOW,
          LEFT_WRIST,
          NECK,
          HEAD);
}
