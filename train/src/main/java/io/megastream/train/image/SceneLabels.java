package io.megastream.train.image;

import io.megastream.mega.body.Joint;
import io.megastream.mega.body.Landmarks;
import io.megastream.mega.render.SceneRenderer;
import io.megastream.mega.render.SyntheticScene;
import io.megastream.proto.Box;
import io.megastream.proto.FrameRef;
import io.megastream.proto.Label;
import io.megastream.proto.PersonLabel;
import io.megastream.proto.SchemaVersions;
import io.megastream.train.mocap.ProtoBodies;

/**
 * The ground truth of a rendered frame as a {@code Label}: per person the box, body parameters,
 * 2D/3D joints, landmarks and occlusion, and the camera's intrinsics. The synthetic camera sends it
 * to the {@code labels} topic; clips write it next to the video.
 */
public final class SceneLabels {

  private SceneLabels() {}

  /** The label of frame {@code frame} of {@code scene}, seen by camera {@code cameraId}. */
  public static Label label(
      SyntheticScene scene, SceneRenderer.Frame f, int frame, String cameraId) {
    Label.Builder l =
        Label.newBuilder()
            .setSchemaVersion(SchemaVersions.CURRENT)
            .setFrame(FrameRef.newBuilder().setCameraId(cameraId).setSeq(frame))
            .setSource(scene.describe())
            .addCameraIntrinsics((float) scene.camera().fx())
            .addCameraIntrinsics((float) scene.camera().fy())
            .addCameraIntrinsics((float) scene.camera().cx())
            .addCameraIntrinsics((float) scene.camera().cy());
    for (int p = 0; p < f.persons().size(); p++) {
      SceneRenderer.PersonTruth t = f.persons().get(p);
      PersonLabel.Builder pl =
          PersonLabel.newBuilder()
              .setPersonIndex(p)
              .setTrackId(p + 1)
              .setBox(
                  Box.newBuilder()
                      .setX(t.box()[0])
                      .setY(t.box()[1])
                      .setWidth(t.box()[2])
                      .setHeight(t.box()[3]))
              .setBody(
                  ProtoBodies.toProto(
                      scene.params(p, frame), io.megastream.mega.body.ProceduralBody.NAME))
              .setOcclusion((float) t.occlusion());
      for (int k = 0; k < Joint.COUNT * 3; k++) {
        pl.addJoints3D(t.joints3d()[k]);
      }
      for (int k = 0; k < Joint.COUNT * 2; k++) {
        pl.addJoints2D(t.joints2d()[k]);
      }
      for (int k = 0; k < Landmarks.COUNT * 2; k++) {
        pl.addLandmarks2D(t.landmarks2d()[k]);
      }
      l.addPersons(pl);
    }
    return l.build();
  }
}
