package io.megastream.mega.body;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProceduralBodyTest {

  static SkinnedBodyModel model;

  @BeforeAll
  static void build() {
    long t0 = System.nanoTime();
    model = ProceduralBody.build();
    System.out.printf(
        "procedural body: %d vertices, %d faces, built in %.2f s%n",
        model.vertexCount(), model.faceCount(), (System.nanoTime() - t0) / 1e9);
  }

  @Test
  void shouldHaveAFewThousandVerticesAndTwelveShapeCoefficients() {
    assertThat(model.vertexCount()).isBetween(3000, 8000);
    assertThat(model.shapeCount())
        .isEqualTo(ProceduralBody.SHAPE_NAMES.size())
        .isGreaterThanOrEqualTo(10);
    assertThat(model.name()).isEqualTo(ProceduralBody.NAME);
  }

  @Test
  void shouldBeAClosedManifoldSurfaceFacingOutwards() {
    // Given
    int[] f = model.faces();
    Map<Long, Integer> directedEdges = new HashMap<>();

    // When: count each directed edge
    for (int i = 0; i < f.length; i += 3) {
      for (int e = 0; e < 3; e++) {
        long key = ((long) f[i + e] << 32) | f[i + (e + 1) % 3];
        directedEdges.merge(key, 1, Integer::sum);
      }
    }

    // Then: every directed edge once, and its reverse once (closed, consistently oriented)
    assertThat(directedEdges.values()).allMatch(c -> c == 1);
    for (long key : directedEdges.keySet()) {
      long reverse = ((key & 0xffffffffL) << 32) | (key >>> 32);
      assertThat(directedEdges).containsKey(reverse);
    }
    assertThat(signedVolume(model.template(), f)).as("volume, m^3").isBetween(0.05, 0.10);
  }

  @Test
  void shouldHaveAdultProportions() {
    float[] v = model.template();
    double minY = Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    double minX = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    for (int i = 0; i < v.length; i += 3) {
      minX = Math.min(minX, v[i]);
      maxX = Math.max(maxX, v[i]);
      minY = Math.min(minY, v[i + 1]);
      maxY = Math.max(maxY, v[i + 1]);
    }
    assertThat(maxY - minY).as("stature").isBetween(1.65, 1.85);
    assertThat(maxX - minX).as("arm span ~ stature").isBetween(1.55, 1.85);
  }

  @Test
  void shouldRegressTheSkeletonExactlyOnTheTemplate() {
    float[] j = model.regressJoints(model.template());
    for (int k = 0; k < Joint.COUNT; k++) {
      for (int c = 0; c < 3; c++) {
        assertThat((double) j[k * 3 + c]).isCloseTo(ProceduralBody.JOINTS[k][c], within(1e-4));
      }
    }
  }

  @Test
  void shouldHaveNormalisedSkinningWeights() {
    for (int v = 0; v < model.vertexCount(); v++) {
      float sum = 0;
      for (float w : model.skinWeights(v)) {
        assertThat(w).isBetween(0f, 1f);
        sum += w;
      }
      assertThat(sum).isCloseTo(1f, within(1e-4f));
    }
  }

  @Test
  void shouldGrowAboutFourPercentPerUnitOfStature() {
    // Given
    double[] tall = new double[model.shapeCount()];
    tall[ProceduralBody.SHAPE_NAMES.indexOf("stature")] = 1;

    // When
    double rest = height(model.forward(BodyParams.rest(model.shapeCount())).vertices());
    double grown =
        height(model.forward(new BodyParams(new double[72], tall, new double[3])).vertices());

    // Then
    assertThat(grown / rest).isCloseTo(1.04, within(0.01));
  }

  @Test
  void shouldBendTheLeftElbowWithoutMovingTheRightHand() {
    // Given
    BodyParams rest = BodyParams.rest(model.shapeCount());
    BodyParams bent = rest.withJoint(Joint.LEFT_ELBOW, 0, -Math.PI / 2, 0);

    // When
    PosedBody a = model.forward(rest);
    PosedBody b = model.forward(bent);

    // Then: the left wrist turns by the same rotation about the elbow; the right wrist stays
    int lw = Joint.LEFT_WRIST.ordinal() * 3;
    int le = Joint.LEFT_ELBOW.ordinal() * 3;
    double[] r = Rotations.fromAxisAngle(0, -Math.PI / 2, 0);
    double[] forearm = {
      a.joints()[lw] - a.joints()[le],
      a.joints()[lw + 1] - a.joints()[le + 1],
      a.joints()[lw + 2] - a.joints()[le + 2]
    };
    for (int c = 0; c < 3; c++) {
      double expected =
          b.joints()[le + c]
              + r[c * 3] * forearm[0]
              + r[c * 3 + 1] * forearm[1]
              + r[c * 3 + 2] * forearm[2];
      assertThat((double) b.joints()[lw + c]).isCloseTo(expected, within(1e-4));
    }
    assertThat(b.joints()[lw + 2] - b.joints()[le + 2])
        .as("the forearm now points forward")
        .isGreaterThan(0.2f);
    int rw = Joint.RIGHT_WRIST.ordinal() * 3;
    for (int c = 0; c < 3; c++) {
      assertThat(b.joints()[rw + c]).isEqualTo(a.joints()[rw + c]);
    }
  }

  @Test
  void shouldPlaceTheLandmarksWhereBlazePoseReportsThem() {
    // Given
    float[] l = model.landmarks().positions(model.template());
    int nose = Landmarks.NAMES.indexOf("nose");
    int leftEye = Landmarks.NAMES.indexOf("left_eye");
    int rightEye = Landmarks.NAMES.indexOf("right_eye");
    int leftHeel = Landmarks.NAMES.indexOf("left_heel");
    int leftToe = Landmarks.NAMES.indexOf("left_foot_index");
    int leftWrist = Landmarks.NAMES.indexOf("left_wrist");

    // Then: the nose is the frontmost face point, eyes above it and on their own side,
    // heels behind the toes, wrists at the wrist joints
    assertThat(l[nose * 3 + 2]).isGreaterThan(l[leftEye * 3 + 2]);
    assertThat(l[leftEye * 3 + 1]).isGreaterThan(l[nose * 3 + 1]);
    assertThat(l[leftEye * 3]).isPositive();
    assertThat(l[rightEye * 3]).isNegative();
    assertThat(l[leftHeel * 3 + 2]).isLessThan(l[leftToe * 3 + 2] - 0.15f);
    float[] joints = model.regressJoints(model.template());
    for (int c = 0; c < 3; c++) {
      assertThat((double) l[leftWrist * 3 + c])
          .isCloseTo(joints[Joint.LEFT_WRIST.ordinal() * 3 + c], within(1e-4));
    }
  }

  @Test
  void shouldBuildTheSameModelEveryTime() {
    SkinnedBodyModel again = ProceduralBody.build();
    assertThat(again.template()).isEqualTo(model.template());
    assertThat(again.faces()).isEqualTo(model.faces());
  }

  static double height(float[] v) {
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (int i = 1; i < v.length; i += 3) {
      min = Math.min(min, v[i]);
      max = Math.max(max, v[i]);
    }
    return max - min;
  }

  static double signedVolume(float[] v, int[] f) {
    double vol = 0;
    for (int i = 0; i < f.length; i += 3) {
      int a = f[i] * 3;
      int b = f[i + 1] * 3;
      int c = f[i + 2] * 3;
      vol +=
          (v[a] * (v[b + 1] * v[c + 2] - v[b + 2] * v[c + 1])
                  - v[a + 1] * (v[b] * v[c + 2] - v[b + 2] * v[c])
                  + v[a + 2] * (v[b] * v[c + 1] - v[b + 1] * v[c]))
              / 6.0;
    }
    return vol;
  }
}
