package io.megastream.train.mocap;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.Joint;

/** Converts between the wire form of body parameters and the body model's. Thread-safe. */
public final class ProtoBodies {

  private ProtoBodies() {}

  /** Wire form, for {@code MocapFrame.body} and {@code PersonLabel.body}. */
  public static io.megastream.proto.BodyParams toProto(BodyParams p, String bodyModel) {
    io.megastream.proto.BodyParams.Builder b =
        io.megastream.proto.BodyParams.newBuilder().setBodyModel(bodyModel);
    for (double v : p.pose()) {
      b.addPose((float) v);
    }
    for (double v : p.shape()) {
      b.addShape((float) v);
    }
    for (double v : p.translation()) {
      b.addTranslation((float) v);
    }
    return b.build();
  }

  /**
   * Body model form.
   *
   * @throws IllegalArgumentException if the pose is not 24 x 3 values or the translation not 3
   */
  public static BodyParams fromProto(io.megastream.proto.BodyParams p) {
    if (p.getPoseCount() != Joint.COUNT * 3) {
      throw new IllegalArgumentException("pose has " + p.getPoseCount() + " values, needs 72");
    }
    double[] pose = new double[p.getPoseCount()];
    for (int i = 0; i < pose.length; i++) {
      pose[i] = p.getPose(i);
    }
    double[] shape = new double[p.getShapeCount()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = p.getShape(i);
    }
    double[] t = new double[3];
    if (p.getTranslationCount() == 3) {
      for (int i = 0; i < 3; i++) {
        t[i] = p.getTranslation(i);
      }
    } else if (p.getTranslationCount() != 0) {
      throw new IllegalArgumentException("translation has " + p.getTranslationCount() + " values");
    }
    return new BodyParams(pose, shape, t);
  }
}
