package io.megastream.train.score;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.PosedBody;
import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.Rotations;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.eval.MegaBenchmark;
import io.megastream.mega.motion.MotionGenerator;
import io.megastream.proto.Box;
import io.megastream.proto.DecodedMesh;
import io.megastream.proto.FrameRef;
import io.megastream.proto.Label;
import io.megastream.proto.PersonLabel;
import io.megastream.proto.RecoveryStatus;
import io.megastream.train.mocap.ProtoBodies;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProductScoreTest {

  private static SkinnedBodyModel body;
  private static float[] mean;

  @BeforeAll
  static void setUp() {
    body = ProceduralBody.build();
    mean = MegaBenchmark.meanCanonicalMesh(body, 991);
  }

  @Test
  void shouldScoreTheTrueMeshAsExactAndTheMeanMeshAsWorse() {
    // Given: a labelled person, and a result whose mesh is the labelled body itself
    BodyParams params = person(0);
    ProductScore score = new ProductScore(body, mean);
    Box box = box(100, 50, 80, 200);

    // When: the result arrives before its label
    score.add(result("cam", 7, box, body.forward(params).vertices()));
    score.add(label("cam", 7, box, params, 0.0));

    // Then
    ProductScore.Row all = score.rows().get(0);
    assertThat(all.subset()).isEqualTo("all");
    assertThat(all.persons()).isEqualTo(1);
    assertThat(all.mpjpe()).isLessThan(1.0);
    assertThat(all.paMpjpe()).isLessThan(1.0);
    assertThat(all.pve()).isLessThan(1.0);
    assertThat(all.meanPaMpjpe()).isGreaterThan(20.0);
    assertThat(score.rows()).extracting(ProductScore.Row::subset).contains("occlusion < 10 %");
    assertThat(score.unscored()).isEqualTo(new ProductScore.Unscored(0, 0, 0));
  }

  @Test
  void shouldScoreTheMeanMeshLikeTheBaseline() {
    // Given: the result is the mean mesh, turned like the person
    BodyParams params = person(3);
    PosedBody posed = body.forward(params);
    ProductScore score = new ProductScore(body, mean);
    Box box = box(10, 10, 50, 150);
    score.add(label("cam", 1, box, params, 0.4));

    // When: the mean mesh in the body's rest orientation, rotated as the body is
    float[] turned =
        Rotations.rotate(
            mean,
            Rotations.toDouble(
                io.megastream.mega.eval.Procrustes.bodyToCamera(
                    body.forward(params.canonical()).joints(), posed.joints())));
    score.add(result("cam", 1, box, turned));

    // Then: the product's errors equal the baseline's, in the occluded subset
    ProductScore.Row occluded = score.rows().get(1);
    assertThat(occluded.subset()).isEqualTo("occlusion 25-70 %");
    assertThat(occluded.mpjpe())
        .isCloseTo(occluded.meanMpjpe(), org.assertj.core.data.Offset.offset(0.01));
    assertThat(occluded.pve())
        .isCloseTo(occluded.meanPve(), org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void shouldCountResultsWithoutALabelledPersonOrNotOk() {
    ProductScore score = new ProductScore(body, mean);
    BodyParams params = person(1);
    score.add(label("cam", 2, box(0, 0, 50, 100), params, 0));

    score.add(result("cam", 2, box(300, 300, 50, 100), body.forward(params).vertices()));
    score.add(
        DecodedMesh.newBuilder()
            .setFrame(FrameRef.newBuilder().setCameraId("cam").setSeq(2))
            .setStatus(RecoveryStatus.RECOVERY_STATUS_NO_PERSONS)
            .build());
    score.add(result("other", 2, box(0, 0, 50, 100), body.forward(params).vertices()));

    assertThat(score.rows()).isEmpty();
    assertThat(score.unscored()).isEqualTo(new ProductScore.Unscored(1, 1, 1));
  }

  @Test
  void shouldComputeBoxIou() {
    assertThat(ProductScore.iou(box(0, 0, 10, 10), box(0, 0, 10, 10))).isEqualTo(1.0);
    assertThat(ProductScore.iou(box(0, 0, 10, 10), box(5, 0, 10, 10))).isEqualTo(50.0 / 150);
    assertThat(ProductScore.iou(box(0, 0, 10, 10), box(20, 0, 10, 10))).isZero();
  }

  private static BodyParams person(int clip) {
    BodyParams p = MotionGenerator.builder().setSeed(31).build().clip(clip).frame(5);
    // a camera-frame global orientation and placement, as a label has
    double[] pose = p.pose().clone();
    pose[0] += 0.4;
    pose[1] += 2.0;
    return new BodyParams(pose, p.shape(), new double[] {0.3, 0.1, 4.0});
  }

  private static Box box(float x, float y, float w, float h) {
    return Box.newBuilder().setX(x).setY(y).setWidth(w).setHeight(h).build();
  }

  private static Label label(String camera, long seq, Box box, BodyParams params, double occ) {
    PersonLabel.Builder p =
        PersonLabel.newBuilder()
            .setBox(box)
            .setBody(ProtoBodies.toProto(params, body.name()))
            .setOcclusion((float) occ);
    for (float j : body.forward(params).joints()) {
      p.addJoints3D(j);
    }
    return Label.newBuilder()
        .setFrame(FrameRef.newBuilder().setCameraId(camera).setSeq(seq))
        .addPersons(p)
        .build();
  }

  private static DecodedMesh result(String camera, long seq, Box box, float[] vertices) {
    DecodedMesh.Builder m =
        DecodedMesh.newBuilder()
            .setFrame(FrameRef.newBuilder().setCameraId(camera).setSeq(seq))
            .setStatus(RecoveryStatus.RECOVERY_STATUS_OK)
            .setBox(box);
    for (float v : vertices) {
      m.addVertices(v);
    }
    return m.build();
  }
}
