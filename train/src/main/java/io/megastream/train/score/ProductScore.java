package io.megastream.train.score;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.PosedBody;
import io.megastream.mega.body.Rotations;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.eval.MeshMetrics;
import io.megastream.mega.eval.Procrustes;
import io.megastream.proto.Box;
import io.megastream.proto.DecodedMesh;
import io.megastream.proto.Label;
import io.megastream.proto.PersonLabel;
import io.megastream.proto.RecoveryStatus;
import io.megastream.train.mocap.ProtoBodies;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores what the product delivers: {@code meshes-decoded} records of a camera with ground truth (a
 * {@code synthetic:} camera) against its {@code labels}, the way {@code eval mega} scores the model
 * (the truth mesh is the labelled body's canonical mesh turned by its true rotation; MPJPE and
 * PA-MPJPE on the 14 LSP joints regressed from the meshes, PVE after aligning the pelvis), beside
 * the mean-mesh baseline given the true rotation. Each result is matched to the labelled person
 * whose box overlaps its box most (IoU ≥ 0.5), so any detector can be scored. Records may arrive in
 * any order. Not thread-safe.
 */
public final class ProductScore {

  /** Least box IoU at which a result counts as the labelled person. */
  public static final double MIN_IOU = 0.5;

  /**
   * Errors over one subset of the matched people, mm.
   *
   * @param subset which people: all, occlusion &lt; 10 %, or 25-70 %
   */
  public record Row(
      String subset,
      int persons,
      double mpjpe,
      double paMpjpe,
      double pve,
      double meanMpjpe,
      double meanPaMpjpe,
      double meanPve) {}

  /** Counts of what could not be scored. */
  public record Unscored(int notOk, int unmatched, int waiting) {}

  private static final String[] SUBSETS = {"all", "occlusion < 10 %", "occlusion 25-70 %"};

  private final SkinnedBodyModel body;
  private final MeshMetrics metrics;
  private final float[] meanMesh;
  private final Map<String, Label> labels = new HashMap<>();
  private final Map<String, List<DecodedMesh>> waiting = new HashMap<>();
  private final Map<String, double[]> sums = new LinkedHashMap<>();
  private int notOk;
  private int unmatched;

  /**
   * @param meanCanonicalMesh the baseline's canonical mesh (V × 3, metres), e.g. the mean of motion
   *     the camera does not show
   */
  public ProductScore(SkinnedBodyModel body, float[] meanCanonicalMesh) {
    this.body = body;
    this.metrics = new MeshMetrics(body);
    this.meanMesh = meanCanonicalMesh.clone();
    for (String s : SUBSETS) {
      sums.put(s, new double[7]);
    }
  }

  /** Adds a frame's ground truth, and scores the results that were waiting for it. */
  public void add(Label label) {
    String key = key(label.getFrame().getCameraId(), label.getFrame().getSeq());
    labels.put(key, label);
    List<DecodedMesh> pending = waiting.remove(key);
    if (pending != null) {
      pending.forEach(m -> score(m, label));
    }
  }

  /** Adds a decoded result: scored now if its frame's label is known, else when it arrives. */
  public void add(DecodedMesh mesh) {
    if (mesh.getStatus() != RecoveryStatus.RECOVERY_STATUS_OK || mesh.getVerticesCount() == 0) {
      notOk++;
      return;
    }
    String key = key(mesh.getFrame().getCameraId(), mesh.getFrame().getSeq());
    Label label = labels.get(key);
    if (label == null) {
      waiting.computeIfAbsent(key, k -> new ArrayList<>()).add(mesh);
    } else {
      score(mesh, label);
    }
  }

  /** The errors so far, one row per subset with people in it. */
  public List<Row> rows() {
    List<Row> out = new ArrayList<>();
    sums.forEach(
        (subset, s) -> {
          int n = (int) s[0];
          if (n > 0) {
            out.add(new Row(subset, n, s[1] / n, s[2] / n, s[3] / n, s[4] / n, s[5] / n, s[6] / n));
          }
        });
    return out;
  }

  public Unscored unscored() {
    return new Unscored(notOk, unmatched, waiting.values().stream().mapToInt(List::size).sum());
  }

  private void score(DecodedMesh mesh, Label label) {
    PersonLabel truth = match(mesh.getBox(), label);
    if (truth == null) {
      unmatched++;
      return;
    }
    BodyParams params = ProtoBodies.fromProto(truth.getBody());
    PosedBody canonical = body.forward(params.canonical());
    float[] jointsCamera = new float[truth.getJoints3DCount()];
    for (int i = 0; i < jointsCamera.length; i++) {
      jointsCamera[i] = truth.getJoints3D(i);
    }
    double[] rotation =
        Rotations.toDouble(Procrustes.bodyToCamera(canonical.joints(), jointsCamera));
    float[] truthMesh = Rotations.rotate(canonical.vertices(), rotation);
    float[] meanPosed = Rotations.rotate(meanMesh, rotation);
    float[] predicted = new float[mesh.getVerticesCount()];
    for (int i = 0; i < predicted.length; i++) {
      predicted[i] = mesh.getVertices(i);
    }
    if (predicted.length != truthMesh.length) {
      throw new IllegalArgumentException(
          "decoded mesh has "
              + predicted.length / 3
              + " vertices, the body model "
              + body.name()
              + " has "
              + truthMesh.length / 3);
    }
    double[] e = {
      1,
      metrics.mpjpe(predicted, truthMesh),
      metrics.paMpjpe(predicted, truthMesh),
      metrics.pve(predicted, truthMesh),
      metrics.mpjpe(meanPosed, truthMesh),
      metrics.paMpjpe(meanPosed, truthMesh),
      metrics.pve(meanPosed, truthMesh)
    };
    add(SUBSETS[0], e);
    double occlusion = truth.getOcclusion();
    if (occlusion < 0.1) {
      add(SUBSETS[1], e);
    } else if (occlusion >= 0.25 && occlusion <= 0.7) {
      add(SUBSETS[2], e);
    }
  }

  private void add(String subset, double[] e) {
    double[] s = sums.get(subset);
    for (int i = 0; i < e.length; i++) {
      s[i] += e[i];
    }
  }

  private static PersonLabel match(Box box, Label label) {
    PersonLabel best = null;
    double bestIou = MIN_IOU;
    for (PersonLabel p : label.getPersonsList()) {
      double iou = iou(box, p.getBox());
      if (iou >= bestIou && p.hasBody() && p.getJoints3DCount() > 0) {
        best = p;
        bestIou = iou;
      }
    }
    return best;
  }

  static double iou(Box a, Box b) {
    double x0 = Math.max(a.getX(), b.getX());
    double y0 = Math.max(a.getY(), b.getY());
    double x1 = Math.min(a.getX() + a.getWidth(), b.getX() + b.getWidth());
    double y1 = Math.min(a.getY() + a.getHeight(), b.getY() + b.getHeight());
    double inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
    double union =
        (double) a.getWidth() * a.getHeight() + (double) b.getWidth() * b.getHeight() - inter;
    return union <= 0 ? 0 : inter / union;
  }

  private static String key(String camera, long seq) {
    return camera + "/" + seq;
  }
}
