package io.megastream.train.image;

import com.google.protobuf.ByteString;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.render.SceneRenderer;
import io.megastream.mega.render.SyntheticScene;
import io.megastream.pose.Images;
import io.megastream.proto.Box;
import io.megastream.proto.Frame;
import io.megastream.proto.ImageEncoding;
import io.megastream.proto.PersonBox;
import io.megastream.proto.SchemaVersions;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Rendered scenes as {@code Frame} messages with their true person boxes (track id = person + 1,
 * detector {@code source-truth}), the way a synthetic camera publishes them: for tests and
 * benchmarks that need frames with known persons without running ingest.
 */
public final class SceneFrames {

  private SceneFrames() {}

  /**
   * Every frame of a scene, JPEG-encoded, persons whose box is at least {@code minBox} pixels a
   * side.
   */
  public static List<Frame> render(
      SyntheticScene scene, String camera, String ingestRunId, int minBox) {
    List<Frame> out = new ArrayList<>();
    Mat image = null;
    try {
      for (int f = 0; scene.hasNext(); f++) {
        SceneRenderer.Frame frame = scene.next();
        image = Images.toBgr(frame.pixels(), frame.width(), frame.height(), image);
        out.add(frame(scene, frame, image, camera, f, ingestRunId, minBox));
      }
    } finally {
      if (image != null) {
        image.close();
      }
    }
    return out;
  }

  /**
   * One rendered frame as a {@code Frame} message.
   *
   * @param image the frame's pixels as 8-bit BGR (what gets JPEG-encoded)
   */
  public static Frame frame(
      SyntheticScene scene,
      SceneRenderer.Frame frame,
      Mat image,
      String camera,
      long seq,
      String ingestRunId,
      int minBox) {
    Frame.Builder b =
        Frame.newBuilder()
            .setSchemaVersion(SchemaVersions.CURRENT)
            .setCameraId(camera)
            .setSeq(seq)
            .setCaptureTimeUs(System.currentTimeMillis() * 1000)
            .setIngestRunId(ingestRunId)
            .setWidth(frame.width())
            .setHeight(frame.height())
            .setSourceWidth(frame.width())
            .setSourceHeight(frame.height())
            .setEncoding(ImageEncoding.IMAGE_ENCODING_JPEG)
            .setImage(ByteString.copyFrom(Images.jpeg(image)))
            .setSource(scene.describe())
            .setDetector("source-truth");
    for (int p = 0; p < frame.persons().size(); p++) {
      float[] box = frame.persons().get(p).box();
      if (box[2] >= minBox && box[3] >= minBox) {
        b.addPersons(
            PersonBox.newBuilder()
                .setBox(
                    Box.newBuilder().setX(box[0]).setY(box[1]).setWidth(box[2]).setHeight(box[3]))
                .setScore(1f)
                .setTrackId(p + 1));
      }
    }
    return b.build();
  }

  /** A scene of {@code persons} people at {@code width × height}, 5 fps, {@code count} frames. */
  public static SyntheticScene scene(
      SkinnedBodyModel body, long seed, int count, int persons, int width, int height) {
    return SyntheticScene.builder(body)
        .optPersons(persons)
        .optSeed(seed)
        .optSize(width, height)
        .optFps(5)
        .optFrames(count)
        .build();
  }
}
