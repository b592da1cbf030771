package io.megastream.mega.body.io;

import static io.megastream.mega.body.io.SyntheticSmpl.BLEND_HIP_WEIGHT;
import static io.megastream.mega.body.io.SyntheticSmpl.BLEND_VERTEX;
import static io.megastream.mega.body.io.SyntheticSmpl.HEAD_VERTEX;
import static io.megastream.mega.body.io.SyntheticSmpl.SHAPES;
import static io.megastream.mega.body.io.SyntheticSmpl.V;
import static io.megastream.mega.body.io.SyntheticSmpl.VERTICES_PER_JOINT;
import static io.megastream.mega.body.io.SyntheticSmpl.WRIST_VERTEX;
import static io.megastream.mega.body.io.SyntheticSmpl.restJoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.Joint;
import io.megastream.mega.body.PosedBody;
import io.megastream.mega.body.Rotations;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.body.io.SyntheticSmpl.Entry;
import io.megastream.mega.body.io.SyntheticSmpl.Flavour;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SmplNpzTest {

  private static final double TOLERANCE = 1e-5;
  private static final double QUARTER_TURN = Math.PI / 2;

  @TempDir Path dir;

  private final SyntheticSmpl fixture = new SyntheticSmpl();

  // ---- loading ----

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void shouldLoadEveryArrayAsWrittenWhateverTheDtypeLayoutOrCompression(Flavour flavour)
      throws IOException {
    // Given
    Path file = SyntheticSmpl.save(dir.resolve("SMPL_TEST.npz"), fixture.entries(flavour));

    // When
    SkinnedBodyModel model = SmplNpz.load(file);

    // Then
    assertThat(model.name()).isEqualTo("SMPL_TEST");
    assertThat(model.vertexCount()).isEqualTo(V);
    assertThat(model.shapeCount()).isEqualTo(SHAPES);
    assertThat(model.hasPoseBlendShapes()).isTrue();
    assertThat(model.landmarks()).isNull();
    assertThat(model.faces()).containsExactly(fixture.faces);
    assertThat(model.parents()).containsExactly(Joint.parents());
    assertThat(toDoubles(model.template())).containsExactly(fixture.template, within(1e-7));
    for (int v = 0; v < V; v++) {
      assertThat(toDoubles(model.skinWeights(v)))
          .as("weights of vertex %d", v)
          .containsExactly(
              Arrays.copyOfRange(fixture.weights, v * Joint.COUNT, (v + 1) * Joint.COUNT),
              within(1e-7));
    }
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void shouldReturnTheTemplateAndRestJointsAtZeroPoseAndShapeDespitePoseBlendShapes(Flavour flavour)
      throws IOException {
    // Given a model whose posedirs are not zero
    SkinnedBodyModel model = load(flavour);

    // When
    PosedBody body = model.forward(BodyParams.rest(SHAPES));

    // Then (R - I) is zero at rest, so the template comes back unchanged
    assertThat(toDoubles(body.vertices())).containsExactly(fixture.template, within(TOLERANCE));
    assertThat(toDoubles(body.joints()))
        .containsExactly(SyntheticSmpl.REST_JOINTS, within(TOLERANCE));
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void shouldAddExactlyTheMatchingShapeDirectionForAShapeCoefficient(Flavour flavour)
      throws IOException {
    // Given
    SkinnedBodyModel model = load(flavour);

    for (int b : new int[] {0, 3, SHAPES - 1}) {
      double[] shape = new double[SHAPES];
      shape[b] = 2.5;

      // When
      PosedBody body = model.forward(new BodyParams(new double[72], shape, new double[3]));

      // Then vertex i moved by 2.5 * shapedirs[v, axis, b] and nothing else
      double[] expected = fixture.template.clone();
      for (int i = 0; i < V * 3; i++) {
        expected[i] += 2.5 * fixture.shapeDirs[i * SHAPES + b];
      }
      assertThat(toDoubles(body.vertices()))
          .as("shape component %d", b)
          .containsExactly(expected, within(TOLERANCE));
    }
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void shouldMoveOnlyTheLeftKneeAndItsDescendantsRigidlyAboutTheKneeWhenTheKneeTurns(
      Flavour flavour) throws IOException {
    // Given
    SkinnedBodyModel model = load(flavour);
    double[] knee = restJoint(Joint.LEFT_KNEE);

    // When the left knee turns a quarter about x
    PosedBody body =
        model.forward(BodyParams.rest(SHAPES).withJoint(Joint.LEFT_KNEE, QUARTER_TURN, 0, 0));

    // Then the knee, ankle and foot tetrahedra turn about the knee; nothing else moves
    for (Joint j : Joint.values()) {
      boolean moves = SyntheticSmpl.inSubtree(j, Joint.LEFT_KNEE);
      for (int c = 0; c < VERTICES_PER_JOINT; c++) {
        int v = SyntheticSmpl.vertex(j, c);
        double[] rest = fixture.templateVertex(v);
        double[] expected = moves ? add(knee, rotX90(sub(rest, knee))) : rest;
        assertThat(vertex(body.vertices(), v))
            .as("vertex %d of %s", v, j)
            .containsExactly(expected, within(TOLERANCE));
      }
      double[] expectedJoint = moves ? add(knee, rotX90(sub(restJoint(j), knee))) : restJoint(j);
      assertThat(vertex(body.joints(), j.ordinal()))
          .as("joint %s", j)
          .containsExactly(expectedJoint, within(TOLERANCE));
    }
    // and the vertex skinned 0.3 to the hip, 0.7 to the knee blends the two transforms
    double[] rest = fixture.templateVertex(BLEND_VERTEX);
    double[] turned = add(knee, rotX90(sub(rest, knee)));
    assertThat(vertex(body.vertices(), BLEND_VERTEX))
        .containsExactly(
            add(scale(rest, BLEND_HIP_WEIGHT), scale(turned, 1 - BLEND_HIP_WEIGHT)),
            within(TOLERANCE));
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void shouldApplyPoseBlendShapesOnRotationMinusIdentityInTheRestFrameBeforeSkinning(
      Flavour flavour) throws IOException {
    // Given posedirs mapping (R_elbow - I)[0][0] and [0][1] to head and wrist displacements
    SkinnedBodyModel model = load(flavour);
    double[] elbow = restJoint(Joint.LEFT_ELBOW);

    // When the left elbow turns a quarter about z: R - I = [[-1, -1, 0], [1, -1, 0], [0, 0, 0]]
    PosedBody body =
        model.forward(BodyParams.rest(SHAPES).withJoint(Joint.LEFT_ELBOW, 0, 0, QUARTER_TURN));

    // Then the head vertex (not under the elbow) is displaced by posedirs alone
    double[] head = fixture.templateVertex(HEAD_VERTEX);
    assertThat(vertex(body.vertices(), HEAD_VERTEX))
        .containsExactly(
            add(
                head,
                new double[] {
                  -SyntheticSmpl.HEAD_X_PER_ELBOW_R00, -SyntheticSmpl.HEAD_Y_PER_ELBOW_R01, 0
                }),
            within(TOLERANCE));
    // and the wrist vertex is displaced in the rest frame, then turned with the forearm
    double[] wrist =
        add(
            fixture.templateVertex(WRIST_VERTEX),
            new double[] {-SyntheticSmpl.WRIST_X_PER_ELBOW_R00, 0, 0});
    assertThat(vertex(body.vertices(), WRIST_VERTEX))
        .containsExactly(add(elbow, rotZ90(sub(wrist, elbow))), within(TOLERANCE));
    // while the other wrist corners, without posedirs, just turn
    int other = SyntheticSmpl.vertex(Joint.LEFT_WRIST, 1);
    assertThat(vertex(body.vertices(), other))
        .containsExactly(
            add(elbow, rotZ90(sub(fixture.templateVertex(other), elbow))), within(TOLERANCE));
  }

  @Test
  void shouldTurnTheWholeBodyRigidlyAboutThePelvisWithoutPoseBlendShapesForGlobalOrientation()
      throws IOException {
    // Given
    SkinnedBodyModel model = load(Flavour.FLOAT64_DEFLATED);
    double[] pelvis = restJoint(Joint.PELVIS);

    // When the root turns a quarter about y
    PosedBody body =
        model.forward(BodyParams.rest(SHAPES).withJoint(Joint.PELVIS, 0, QUARTER_TURN, 0));

    // Then every vertex, head included (SMPL's pose feature skips the root), turns about it
    for (int v = 0; v < V; v++) {
      double[] rest = fixture.templateVertex(v);
      assertThat(vertex(body.vertices(), v))
          .as("vertex %d", v)
          .containsExactly(add(pelvis, rotY90(sub(rest, pelvis))), within(TOLERANCE));
    }
  }

  @Test
  void shouldPlaceJointsAlongTheKinematicChainWhenHipAndKneeBothTurn() throws IOException {
    // Given
    SkinnedBodyModel model = load(Flavour.FLOAT32_STORED);

    // When hip and knee each turn a quarter about x
    PosedBody body =
        model.forward(
            BodyParams.rest(SHAPES)
                .withJoint(Joint.LEFT_HIP, QUARTER_TURN, 0, 0)
                .withJoint(Joint.LEFT_KNEE, QUARTER_TURN, 0, 0));

    // Then (by hand): knee = hip + Rx90 (0.01, -0.37, 0); ankle = knee + Rx180 (0, -0.37, 0);
    // foot = ankle + Rx180 (0, -0.06, 0.12)
    assertThat(vertex(body.joints(), Joint.LEFT_HIP.ordinal()))
        .containsExactly(new double[] {0.08, 0.82, 0}, within(TOLERANCE));
    assertThat(vertex(body.joints(), Joint.LEFT_KNEE.ordinal()))
        .containsExactly(new double[] {0.09, 0.82, -0.37}, within(TOLERANCE));
    assertThat(vertex(body.joints(), Joint.LEFT_ANKLE.ordinal()))
        .containsExactly(new double[] {0.09, 1.19, -0.37}, within(TOLERANCE));
    assertThat(vertex(body.joints(), Joint.LEFT_FOOT.ordinal()))
        .containsExactly(new double[] {0.09, 1.25, -0.49}, within(TOLERANCE));
  }

  @Test
  void shouldMatchAnIndependentChainOfJointTransformsForARandomPoseAndShape() throws IOException {
    // Given a model without pose blend shapes, and a random pose and shape
    Map<String, Entry> entries = fixture.entries(Flavour.FLOAT64_DEFLATED);
    entries.remove("posedirs");
    SkinnedBodyModel model = SmplNpz.load(SyntheticSmpl.save(dir.resolve("m.npz"), entries));
    Random random = new Random(3);
    double[] pose = new double[72];
    for (int i = 0; i < pose.length; i++) {
      pose[i] = (random.nextDouble() - 0.5) * 1.5;
    }
    double[] shape = new double[SHAPES];
    for (int b = 0; b < SHAPES; b++) {
      shape[b] = (random.nextDouble() - 0.5) * 4;
    }

    // When
    PosedBody body = model.forward(new BodyParams(pose, shape, new double[3]));

    // Then joint k sits at J'_parent + W_parent (J_k - J_parent), with W_k = W_parent R_k, and
    // each vertex follows its joint's transform (the blended one, both)
    assertThat(model.hasPoseBlendShapes()).isFalse();
    double[] shaped = fixture.template.clone();
    for (int i = 0; i < V * 3; i++) {
      for (int b = 0; b < SHAPES; b++) {
        shaped[i] += shape[b] * fixture.shapeDirs[i * SHAPES + b];
      }
    }
    double[][] rest = new double[Joint.COUNT][3];
    for (int j = 0; j < Joint.COUNT; j++) {
      for (int c = 0; c < VERTICES_PER_JOINT; c++) {
        int v = j * VERTICES_PER_JOINT + c;
        for (int a = 0; a < 3; a++) {
          rest[j][a] += shaped[v * 3 + a] / VERTICES_PER_JOINT;
        }
      }
    }
    double[][] world = new double[Joint.COUNT][];
    double[][] posed = new double[Joint.COUNT][];
    for (Joint j : Joint.values()) {
      int k = j.ordinal();
      double[] r = Rotations.fromAxisAngle(pose[k * 3], pose[k * 3 + 1], pose[k * 3 + 2]);
      int p = j.parentIndex();
      world[k] = p < 0 ? r : Rotations.multiply(world[p], r);
      posed[k] = p < 0 ? rest[k] : add(posed[p], apply(world[p], sub(rest[k], rest[p])));
      assertThat(vertex(body.joints(), k))
          .as("joint %s", j)
          .containsExactly(posed[k], within(1e-5));
    }
    for (int v = 0; v < BLEND_VERTEX; v++) {
      int k = v / VERTICES_PER_JOINT;
      double[] s = Arrays.copyOfRange(shaped, v * 3, v * 3 + 3);
      assertThat(vertex(body.vertices(), v))
          .as("vertex %d", v)
          .containsExactly(add(posed[k], apply(world[k], sub(s, rest[k]))), within(1e-5));
    }
    double[] s = Arrays.copyOfRange(shaped, BLEND_VERTEX * 3, BLEND_VERTEX * 3 + 3);
    int hip = Joint.LEFT_HIP.ordinal();
    int knee = Joint.LEFT_KNEE.ordinal();
    double[] byHip = add(posed[hip], apply(world[hip], sub(s, rest[hip])));
    double[] byKnee = add(posed[knee], apply(world[knee], sub(s, rest[knee])));
    assertThat(vertex(body.vertices(), BLEND_VERTEX))
        .containsExactly(
            add(scale(byHip, BLEND_HIP_WEIGHT), scale(byKnee, 1 - BLEND_HIP_WEIGHT)), within(1e-5));
  }

  @ParameterizedTest
  @EnumSource(Flavour.class)
  void shouldAddTheTranslationToEveryVertexAndJoint(Flavour flavour) throws IOException {
    // Given
    SkinnedBodyModel model = load(flavour);
    double[] pose = new double[72];
    Random random = new Random(11);
    for (int i = 0; i < pose.length; i++) {
      pose[i] = (random.nextDouble() - 0.5);
    }
    double[] shape = {1, -0.5, 0.25, 0, 0, 2};
    double[] t = {0.5, -1.25, 3};

    // When
    PosedBody still = model.forward(new BodyParams(pose, shape, new double[3]));
    PosedBody moved = model.forward(new BodyParams(pose, shape, t));

    // Then
    for (int v = 0; v < V; v++) {
      assertThat(sub(vertex(moved.vertices(), v), vertex(still.vertices(), v)))
          .containsExactly(t, within(TOLERANCE));
    }
    for (int j = 0; j < Joint.COUNT; j++) {
      assertThat(sub(vertex(moved.joints(), j), vertex(still.joints(), j)))
          .containsExactly(t, within(TOLERANCE));
    }
  }

  @Test
  void shouldKeepOnlyTheFirstShapeComponentsWhenLimited() throws IOException {
    // Given
    Path file = SyntheticSmpl.save(dir.resolve("m.npz"), fixture.entries(Flavour.MIXED_LAYOUTS));

    // When
    SkinnedBodyModel four = SmplNpz.load(file, 4);
    SkinnedBodyModel none = SmplNpz.load(file, 0);
    SkinnedBodyModel all = SmplNpz.load(file, 300);

    // Then the kept components are the first ones of each vertex coordinate
    assertThat(four.shapeCount()).isEqualTo(4);
    assertThat(none.shapeCount()).isZero();
    assertThat(all.shapeCount()).isEqualTo(SHAPES);
    float[] shaped = four.shaped(new double[] {0, 0, 0, 1});
    for (int i = 0; i < V * 3; i++) {
      assertThat((double) shaped[i])
          .isCloseTo(fixture.template[i] + fixture.shapeDirs[i * SHAPES + 3], within(TOLERANCE));
    }
    assertThatThrownBy(() -> four.shaped(new double[5]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldNotReadUnrelatedArraysEvenWhenTheyArePickled() throws IOException {
    // Given an archive that also holds SMPL's pickled training metadata
    Path file =
        SyntheticSmpl.save(
            dir.resolve("m.npz"),
            fixture.entries(Flavour.FLOAT64_DEFLATED),
            "pose_training_info",
            SyntheticSmpl.pickledObjectNpy("()"));

    // When
    SkinnedBodyModel model = SmplNpz.load(file);

    // Then
    assertThat(model.vertexCount()).isEqualTo(V);
  }

  // ---- rejections ----

  @Test
  void shouldRejectAnSmplXSizedKinematicTreeSayingSo() throws IOException {
    // Given
    Path file = SyntheticSmpl.save(dir.resolve("SMPLX_NEUTRAL.npz"), SyntheticSmpl.minimal(60, 55));

    // When
    BodyModelFormatException e = rejection(file);

    // Then
    assertThat(e.array()).isEqualTo("kintree_table");
    assertThat(e.getMessage())
        .contains("SMPLX_NEUTRAL.npz", "55 joints", "SMPL-X", "Only SMPL's 24-joint tree");
  }

  @Test
  void shouldRejectAnSmplHSizedKinematicTreeSayingSo() throws IOException {
    // Given
    Path file = SyntheticSmpl.save(dir.resolve("SMPLH_male.npz"), SyntheticSmpl.minimal(60, 52));

    // When
    BodyModelFormatException e = rejection(file);

    // Then
    assertThat(e.getMessage()).contains("52 joints", "SMPL-H", "Only SMPL's 24-joint tree");
  }

  @Test
  void shouldRejectATwentyFourJointTreeThatIsNotSmplsNamingTheJoint() throws IOException {
    // Given a tree where the left knee hangs off the right hip
    Map<String, Entry> entries = fixture.entries(Flavour.FLOAT64_DEFLATED);
    long[] tree = SyntheticSmpl.kintree(-1, NpyDtype.INT64).toLongs();
    tree[Joint.LEFT_KNEE.ordinal()] = Joint.RIGHT_HIP.ordinal();
    entries.put("kintree_table", Entry.deflated(NpyArray.ofLongs(tree, 2, 24)));

    // When
    BodyModelFormatException e = rejection(SyntheticSmpl.save(dir.resolve("m.npz"), entries));

    // Then
    assertThat(e.getMessage()).contains("kintree_table", "left_knee", "parent 2", "SMPL's is 1");
  }

  @Test
  void shouldRejectAMissingArrayNamingItAndTheFile() throws IOException {
    // Given
    Map<String, Entry> entries = fixture.entries(Flavour.FLOAT32_STORED);
    entries.remove("J_regressor");
    Path file = SyntheticSmpl.save(dir.resolve("m.npz"), entries);

    // When
    BodyModelFormatException e = rejection(file);

    // Then
    assertThat(e.file()).isEqualTo(file.toString());
    assertThat(e.array()).isEqualTo("J_regressor");
    assertThat(e.getMessage()).contains("m.npz", "'J_regressor'", "missing", "v_template");
  }

  @Test
  void shouldRejectAPickledJointRegressorSayingWhy() throws IOException {
    // Given J_regressor saved as a pickled object (as a scipy sparse matrix would be)
    Map<String, Entry> entries = fixture.entries(Flavour.FLOAT64_DEFLATED);
    entries.remove("J_regressor");
    Path file =
        SyntheticSmpl.save(
            dir.resolve("m.npz"), entries, "J_regressor", SyntheticSmpl.pickledObjectNpy("()"));

    // When
    BodyModelFormatException e = rejection(file);

    // Then
    assertThat(e.array()).isEqualTo("J_regressor");
    assertThat(e.getMessage()).contains("Python objects", "pickle", "scipy sparse", "toarray()");
  }

  @Test
  void shouldRejectSkinningWeightsThatDoNotSumToOne() throws IOException {
    // Given
    double[] w = fixture.weights.clone();
    w[5 * Joint.COUNT + 1] = 0.9; // vertex 5 is one-hot on joint 1
    Map<String, Entry> entries = fixture.entries(Flavour.FLOAT64_DEFLATED);
    entries.put("weights", Entry.deflated(NpyArray.ofDoubles(w, V, Joint.COUNT)));

    // When
    BodyModelFormatException e = rejection(SyntheticSmpl.save(dir.resolve("m.npz"), entries));

    // Then
    assertThat(e.array()).isEqualTo("weights");
    assertThat(e.getMessage()).contains("vertex 5", "sum to 0.9");
  }

  @Test
  void shouldRejectArraysWhoseVertexCountsDisagree() throws IOException {
    // Given shapedirs for one vertex fewer
    Map<String, Entry> entries = fixture.entries(Flavour.FLOAT64_DEFLATED);
    entries.put(
        "shapedirs", Entry.deflated(NpyArray.ofDoubles(new double[(V - 1) * 3 * 2], V - 1, 3, 2)));

    // When
    BodyModelFormatException e = rejection(SyntheticSmpl.save(dir.resolve("m.npz"), entries));

    // Then
    assertThat(e.array()).isEqualTo("shapedirs");
    assertThat(e.getMessage()).contains("(96, 3, 2)", "expected (97, 3, B)");
  }

  @Test
  void shouldRejectPosedirsOfTheWrongSizeListingTheAcceptedLayouts() throws IOException {
    // Given
    Map<String, Entry> entries = fixture.entries(Flavour.FLOAT64_DEFLATED);
    entries.put("posedirs", Entry.deflated(NpyArray.ofDoubles(new double[V * 3 * 200], V, 3, 200)));

    // When
    BodyModelFormatException e = rejection(SyntheticSmpl.save(dir.resolve("m.npz"), entries));

    // Then
    assertThat(e.array()).isEqualTo("posedirs");
    assertThat(e.getMessage()).contains("(97, 3, 200)", "(97, 3, 207), (291, 207) or (207, 291)");
  }

  @Test
  void shouldRejectSquarePosedirsWhenSixtyNineVerticesMakeTheLayoutAmbiguous() throws IOException {
    // Given 69 vertices: 69 * 3 = 207, so (V*3, 207) and (207, V*3) look the same
    Map<String, Entry> entries = SyntheticSmpl.minimal(69, 24);
    entries.put("posedirs", Entry.deflated(NpyArray.ofDoubles(new double[207 * 207], 207, 207)));

    // When
    BodyModelFormatException e = rejection(SyntheticSmpl.save(dir.resolve("m.npz"), entries));

    // Then
    assertThat(e.getMessage()).contains("ambiguous", "(69, 3, 207)");
  }

  @Test
  void shouldLoadTheSameSixtyNineVertexModelWhenPosedirsIsThreeDimensional() throws IOException {
    // Given
    Path file = SyntheticSmpl.save(dir.resolve("m.npz"), SyntheticSmpl.minimal(69, 24));

    // When
    SkinnedBodyModel model = SmplNpz.load(file);

    // Then
    assertThat(model.vertexCount()).isEqualTo(69);
    assertThat(model.hasPoseBlendShapes()).isTrue();
  }

  @Test
  void shouldRejectFaceIndicesOutsideTheMesh() throws IOException {
    // Given
    Map<String, Entry> entries = fixture.entries(Flavour.FLOAT64_DEFLATED);
    entries.put("f", Entry.deflated(NpyArray.ofInts(new int[] {0, 1, V}, 1, 3)));

    // When
    BodyModelFormatException e = rejection(SyntheticSmpl.save(dir.resolve("m.npz"), entries));

    // Then
    assertThat(e.array()).isEqualTo("f");
    assertThat(e.getMessage()).contains("vertex 97", "outside 0..96");
  }

  @Test
  void shouldRejectNonFiniteValues() throws IOException {
    // Given
    double[] vt = fixture.template.clone();
    vt[7] = Double.NaN;
    Map<String, Entry> entries = fixture.entries(Flavour.FLOAT64_DEFLATED);
    entries.put("v_template", Entry.deflated(NpyArray.ofDoubles(vt, V, 3)));

    // When
    BodyModelFormatException e = rejection(SyntheticSmpl.save(dir.resolve("m.npz"), entries));

    // Then
    assertThat(e.array()).isEqualTo("v_template");
    assertThat(e.getMessage()).contains("NaN", "index 7");
  }

  @Test
  void shouldRejectATruncatedFileNamingIt() throws IOException {
    // Given
    Path file = SyntheticSmpl.save(dir.resolve("m.npz"), fixture.entries(Flavour.FLOAT32_STORED));
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));

    // When
    BodyModelFormatException e = rejection(file);

    // Then
    assertThat(e.file()).isEqualTo(file.toString());
    assertThat(e.getMessage()).contains("m.npz", "not a readable .npz", "truncated");
  }

  @Test
  void shouldRejectANegativeShapeLimit() {
    assertThatThrownBy(() -> SmplNpz.load(dir.resolve("m.npz"), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxShapeComponents");
  }

  // ---- helpers ----

  private SkinnedBodyModel load(Flavour flavour) throws IOException {
    return SmplNpz.load(
        SyntheticSmpl.save(dir.resolve(flavour + ".npz"), fixture.entries(flavour)));
  }

  private static BodyModelFormatException rejection(Path file) {
    Throwable thrown = catchThrowable(() -> SmplNpz.load(file));
    assertThat(thrown).isInstanceOf(BodyModelFormatException.class);
    return (BodyModelFormatException) thrown;
  }

  private static double[] vertex(float[] xyz, int i) {
    return new double[] {xyz[i * 3], xyz[i * 3 + 1], xyz[i * 3 + 2]};
  }

  private static double[] toDoubles(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  private static double[] add(double[] a, double[] b) {
    return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
  }

  private static double[] sub(double[] a, double[] b) {
    return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
  }

  private static double[] scale(double[] a, double s) {
    return new double[] {a[0] * s, a[1] * s, a[2] * s};
  }

  private static double[] apply(double[] r, double[] v) {
    return new double[] {
      r[0] * v[0] + r[1] * v[1] + r[2] * v[2],
      r[3] * v[0] + r[4] * v[1] + r[5] * v[2],
      r[6] * v[0] + r[7] * v[1] + r[8] * v[2]
    };
  }

  /** A quarter turn about +x: y goes to z. */
  private static double[] rotX90(double[] v) {
    return new double[] {v[0], -v[2], v[1]};
  }

  /** A quarter turn about +y: z goes to x. */
  private static double[] rotY90(double[] v) {
    return new double[] {v[2], v[1], -v[0]};
  }

  /** A quarter turn about +z: x goes to y. */
  private static double[] rotZ90(double[] v) {
    return new double[] {-v[1], v[0], v[2]};
  }
}
