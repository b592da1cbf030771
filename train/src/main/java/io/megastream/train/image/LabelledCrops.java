package io.megastream.train.image;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.Joint;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.eval.Procrustes;
import io.megastream.mega.image.ImageBackbone;
import io.megastream.pose.Images;
import io.megastream.pose.PersonCrop;
import io.megastream.proto.Frame;
import io.megastream.proto.Label;
import io.megastream.proto.PersonLabel;
import io.megastream.proto.Topics;
import io.megastream.proto.read.TopicSnapshot;
import io.megastream.train.mocap.ProtoBodies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Person crops with known truth, read back from the archive: the {@code labels} topic (what the
 * synthetic camera knows about each frame) joined with the {@code frames} topic (the JPEG that went
 * through ingest) by camera, ingest run and sequence number. Each labelled person becomes one or
 * more {@link ImageBackbone#INPUT}² crops around its box, jittered like a detector's box, with the
 * targets both training stages need. Frames without a label, labels without a frame and images that
 * do not decode are counted and skipped. Not thread-safe.
 */
public final class LabelledCrops {

  private static final Logger log = LoggerFactory.getLogger(LabelledCrops.class);

  /**
   * One crop.
   *
   * @param camera camera id (the unit of the held-out split)
   * @param seq frame sequence number
   * @param bgr crop pixels, {@code INPUT × INPUT × 3} BGR bytes
   * @param joints2d 24 × 2 joints in the crop, centred (−0.5..0.5)
   * @param rotation 3 × 3 body-to-camera rotation, row-major
   * @param joints3d 24 × 3 canonical joints relative to the pelvis, metres
   * @param canonical the body without global rotation (what the tokenizer encodes)
   * @param occlusion share of the person hidden
   */
  public record Crop(
      String camera,
      long seq,
      byte[] bgr,
      float[] joints2d,
      float[] rotation,
      float[] joints3d,
      BodyParams canonical,
      double occlusion) {}

  /** What was read. */
  public record Result(
      List<Crop> crops,
      TopicSnapshot.Result frames,
      TopicSnapshot.Result labels,
      long unlabelledFrames,
      long undecodable) {

    public String provenance() {
      return frames.provenance() + " + " + labels.provenance();
    }
  }

  /**
   * Which persons make crops.
   *
   * @param jitters crops per person (each with its own box jitter; the first is unjittered)
   * @param minSide smallest box side, source pixels
   * @param maxOcclusion most of the person that may be hidden
   */
  public record Options(int jitters, double minSide, double maxOcclusion, long seed) {

    public Options {
      if (jitters < 1 || minSide < 1 || maxOcclusion < 0 || maxOcclusion > 1) {
        throw new IllegalArgumentException("jitters >= 1, minSide >= 1, maxOcclusion in [0, 1]");
      }
    }
  }

  private final Map<String, Object> kafka;
  private final SkinnedBodyModel body;

  public LabelledCrops(Map<String, Object> kafka, SkinnedBodyModel body) {
    this.kafka = Map.copyOf(kafka);
    this.body = body;
  }

  /** Reads both topics and makes the crops. */
  public Result read(Options options, Duration timeout) {
    TopicSnapshot snapshot = new TopicSnapshot(kafka);
    Map<String, Label> labels = new HashMap<>();
    TopicSnapshot.Result labelRead =
        snapshot.read(
            Topics.LABELS,
            timeout,
            "ingest a synthetic camera (`megastream ingest --camera id=synthetic:...`)",
            (r, l) ->
                labels.put(
                    key(
                        l.getFrame().getCameraId(),
                        l.getFrame().getIngestRunId(),
                        l.getFrame().getSeq()),
                    l));
    List<Crop> crops = new ArrayList<>();
    Random random = new Random(options.seed());
    long[] unlabelled = {0};
    long[] undecodable = {0};
    TopicSnapshot.Result frameRead =
        snapshot.read(
            Topics.FRAMES,
            timeout,
            "ingest a synthetic camera (`megastream ingest --camera id=synthetic:...`)",
            (r, f) -> {
              Label label = labels.remove(key(f.getCameraId(), f.getIngestRunId(), f.getSeq()));
              if (label == null) {
                unlabelled[0]++;
                return;
              }
              Mat image = Images.decode(f.getImage().toByteArray());
              if (image == null) {
                if (undecodable[0]++ == 0) {
                  log.warn(
                      "frames partition {} offset {}: image does not decode; skipping",
                      r.partition(),
                      r.offset());
                }
                return;
              }
              try (image) {
                crops(f, label, image, options, random, crops);
              }
            });
    log.info(
        "{} crops from {} frames ({} without a label, {} undecodable, {} labels without a frame)",
        crops.size(),
        frameRead.records(),
        unlabelled[0],
        undecodable[0],
        labels.size());
    return new Result(crops, frameRead, labelRead, unlabelled[0], undecodable[0]);
  }

  private void crops(
      Frame f, Label label, Mat image, Options options, Random random, List<Crop> out) {
    // labels are in source pixels; the frame may have been downscaled by ingest
    double scale = f.getSourceWidth() > 0 ? (double) image.cols() / f.getSourceWidth() : 1.0;
    for (PersonLabel p : label.getPersonsList()) {
      var box = p.getBox();
      if (Math.min(box.getWidth(), box.getHeight()) < options.minSide()
          || p.getOcclusion() > options.maxOcclusion()
          || p.getJoints3DCount() != Joint.COUNT * 3
          || p.getJoints2DCount() != Joint.COUNT * 2) {
        continue;
      }
      BodyParams params = ProtoBodies.fromProto(p.getBody());
      BodyParams canonical = params.canonical();
      float[] cj = body.forward(canonical).joints();
      float[] cameraJoints = new float[Joint.COUNT * 3];
      float[] j3 = new float[Joint.COUNT * 3];
      for (int k = 0; k < Joint.COUNT * 3; k++) {
        cameraJoints[k] = p.getJoints3D(k);
        j3[k] = cj[k] - cj[k % 3];
      }
      float[] rotation = Procrustes.bodyToCamera(cj, cameraJoints);
      for (int j = 0; j < options.jitters(); j++) {
        double side = Math.max(box.getWidth(), box.getHeight()) * scale;
        double cx = (box.getX() + box.getWidth() / 2.0) * scale;
        double cy = (box.getY() + box.getHeight() / 2.0) * scale;
        double padding = PersonCrop.PADDING;
        if (j > 0) {
          padding *= 1 + 0.1 * random.nextGaussian();
          cx += 0.05 * side * padding * random.nextGaussian();
          cy += 0.05 * side * padding * random.nextGaussian();
        }
        try (PersonCrop crop =
            PersonCrop.of(
                image, cx - side / 2, cy - side / 2, side, side, padding, ImageBackbone.INPUT)) {
          float[] j2 = new float[Joint.COUNT * 2];
          for (int k = 0; k < Joint.COUNT; k++) {
            j2[k * 2] = (float) (crop.cropX(p.getJoints2D(k * 2) * scale) - 0.5);
            j2[k * 2 + 1] = (float) (crop.cropY(p.getJoints2D(k * 2 + 1) * scale) - 0.5);
          }
          out.add(
              new Crop(
                  f.getCameraId(),
                  f.getSeq(),
                  Images.bytes(crop.image()),
                  j2,
                  rotation,
                  j3,
                  canonical,
                  p.getOcclusion()));
        }
      }
    }
  }

  private static String key(String camera, String run, long seq) {
    return camera + '\u0000' + run + '\u0000' + seq;
  }
}
