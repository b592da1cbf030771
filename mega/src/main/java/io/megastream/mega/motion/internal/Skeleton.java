package io.megastream.mega.motion.internal;

import io.megastream.mega.body.Joint;
import java.util.ArrayList;
import java.util.List;

/**
 * An approximate adult skeleton for keeping the generated body on the floor: SMPL's neutral bone
 * offsets (rounded, made symmetric) and points that touch the floor, each with the flesh radius
 * around it (heels and toes 0, a knee 5 cm, the pelvis 11 cm). Any body model's real bones differ
 * by centimetres, which is the precision this serves. Stateless.
 */
public final class Skeleton {

  /** Offset of each joint from its parent in the rest pose, metres (left side; right mirrored). */
  private static final double[][] OFFSETS = new double[Joint.COUNT][];

  /** A point that can touch the floor: in a joint's frame, with a radius. */
  private record Contact(Joint joint, double[] at, double radius) {}

  private static final Contact[] CONTACTS;

  static {
    offset(Joint.LEFT_HIP, 0.06, -0.09, 0.0);
    offset(Joint.SPINE1, 0, 0.11, -0.02);
    offset(Joint.LEFT_KNEE, 0.04, -0.38, 0.0);
    offset(Joint.SPINE2, 0, 0.14, 0.02);
    offset(Joint.LEFT_ANKLE, -0.01, -0.42, -0.04);
    offset(Joint.SPINE3, 0, 0.05, 0.0);
    offset(Joint.LEFT_FOOT, 0.04, -0.06, 0.12);
    offset(Joint.NECK, 0, 0.21, -0.03);
    offset(Joint.LEFT_COLLAR, 0.08, 0.11, -0.02);
    offset(Joint.HEAD, 0, 0.09, 0.05);
    offset(Joint.LEFT_SHOULDER, 0.12, 0.045, -0.01);
    offset(Joint.LEFT_ELBOW, 0.26, -0.015, -0.02);
    offset(Joint.LEFT_WRIST, 0.27, 0.01, -0.005);
    offset(Joint.LEFT_HAND, 0.09, -0.01, -0.01);
    OFFSETS[Joint.PELVIS.ordinal()] = new double[3];

    List<Contact> c = new ArrayList<>();
    for (Joint left : new Joint[] {Joint.LEFT_ANKLE, Joint.LEFT_FOOT}) {
      for (Joint j : new Joint[] {left, left.mirror()}) {
        if (left == Joint.LEFT_ANKLE) {
          c.add(new Contact(j, new double[] {0, -0.08, -0.05}, 0)); // heel
        } else {
          c.add(new Contact(j, new double[] {0, -0.02, 0}, 0)); // ball of the foot
          c.add(new Contact(j, new double[] {0, -0.015, 0.05}, 0)); // toe tip
        }
      }
    }
    contact(c, Joint.PELVIS, 0.11);
    contact(c, Joint.SPINE1, 0.10);
    contact(c, Joint.SPINE2, 0.10);
    contact(c, Joint.SPINE3, 0.10);
    contact(c, Joint.NECK, 0.06);
    c.add(new Contact(Joint.HEAD, new double[] {0, 0.08, 0}, 0.10));
    for (Joint left :
        new Joint[] {
          Joint.LEFT_KNEE, Joint.LEFT_SHOULDER, Joint.LEFT_ELBOW, Joint.LEFT_WRIST, Joint.LEFT_HAND
        }) {
      double r = left == Joint.LEFT_KNEE ? 0.05 : left == Joint.LEFT_SHOULDER ? 0.06 : 0.04;
      contact(c, left, r);
      contact(c, left.mirror(), r);
    }
    CONTACTS = c.toArray(new Contact[0]);
  }

  private Skeleton() {}

  private static void offset(Joint left, double x, double y, double z) {
    OFFSETS[left.ordinal()] = new double[] {x, y, z};
    OFFSETS[left.mirror().ordinal()] = new double[] {-x, y, z};
  }

  private static void contact(List<Contact> c, Joint j, double radius) {
    c.add(new Contact(j, new double[3], radius));
  }

  /** Joint positions relative to the root, with the body's orientation applied: 24 x 3. */
  public static double[][] joints(Pose pose) {
    return kinematics(pose).positions;
  }

  /** The world rotation of a joint (the body's orientation included), row-major. */
  public static double[] rotation(Pose pose, Joint joint) {
    return kinematics(pose).rotations[joint.ordinal()];
  }

  /**
   * Contact points relative to the root, with the body's orientation applied: per point (x, y, z,
   * radius).
   */
  public static double[][] contacts(Pose pose) {
    Kinematics k = kinematics(pose);
    double[][] out = new double[CONTACTS.length][];
    for (int i = 0; i < CONTACTS.length; i++) {
      Contact c = CONTACTS[i];
      int j = c.joint.ordinal();
      double[] p = Euler.apply(k.rotations[j], c.at);
      out[i] =
          new double[] {
            k.positions[j][0] + p[0], k.positions[j][1] + p[1], k.positions[j][2] + p[2], c.radius
          };
    }
    return out;
  }

  /** The height of the body's lowest surface point relative to the root (negative: below it). */
  public static double lowest(Pose pose) {
    double min = Double.POSITIVE_INFINITY;
    for (double[] c : contacts(pose)) {
      min = Math.min(min, c[1] - c[3]);
    }
    return min;
  }

  private record Kinematics(double[][] rotations, double[][] positions) {}

  private static Kinematics kinematics(Pose pose) {
    double[][] rot = new double[Joint.COUNT][];
    double[][] pos = new double[Joint.COUNT][];
    rot[0] = Euler.orientationMatrix(pose.get(0), pose.get(1), pose.get(2));
    pos[0] = new double[3];
    for (int j = 1; j < Joint.COUNT; j++) {
      int p = Joint.of(j).parentIndex();
      double[] local = Euler.matrix(pose.get(j * 3), pose.get(j * 3 + 1), pose.get(j * 3 + 2));
      rot[j] = Euler.multiply(rot[p], local);
      double[] o = Euler.apply(rot[p], OFFSETS[j]);
      pos[j] = new double[] {pos[p][0] + o[0], pos[p][1] + o[1], pos[p][2] + o[2]};
    }
    return new Kinematics(rot, pos);
  }
}
