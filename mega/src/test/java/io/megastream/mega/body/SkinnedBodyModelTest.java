package io.megastream.mega.body;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SkinnedBodyModelTest {

  private static final int V = 4;

  /** Valid arguments for a 4-vertex model; each case below breaks one of them. */
  private static final class Args {
    float[] template = new float[V * 3];
    float[] shapeDirs = new float[V * 3 * 2];
    float[] poseDirs = new float[V * 3 * SkinnedBodyModel.POSE_FEATURES];
    float[] regressor = new float[Joint.COUNT * V];
    float[] weights = new float[V * Joint.COUNT];
    int[] faces = {0, 1, 2, 0, 2, 3};
    int[] parents = Joint.parents();

    Args() {
      for (int j = 0; j < Joint.COUNT; j++) {
        regressor[j * V + j % V] = 1;
      }
      for (int v = 0; v < V; v++) {
        weights[v * Joint.COUNT] = 1;
      }
    }

    SkinnedBodyModel build() {
      return new SkinnedBodyModel(
          "test", template, shapeDirs, poseDirs, regressor, weights, faces, parents, null);
    }
  }

  static Stream<Arguments> brokenArguments() {
    return Stream.of(
        broken("an empty template", "template must be V x 3", a -> a.template = new float[0]),
        broken(
            "a template of 13 values", "template must be V x 3", a -> a.template = new float[13]),
        broken(
            "shapedirs not a multiple of V x 3",
            "not a multiple of V x 3 = 12",
            a -> a.shapeDirs = new float[13]),
        broken(
            "posedirs for 206 pose features",
            "posedirs must be V x 3 x 207",
            a -> a.poseDirs = new float[V * 3 * 206]),
        broken(
            "a regressor for 23 joints",
            "J_regressor must be 24 x V",
            a -> a.regressor = new float[23 * V]),
        broken(
            "weights for 5 vertices", "weights must be V x 24", a -> a.weights = new float[5 * 24]),
        broken("faces of 4 indices", "faces must be F x 3", a -> a.faces = new int[] {0, 1, 2, 3}),
        broken(
            "a face past the last vertex",
            "face index 4 outside 0..3",
            a -> a.faces = new int[] {0, 1, 4}),
        broken("a negative face index", "face index -1", a -> a.faces = new int[] {0, 1, -1}),
        broken(
            "a tree of 52 joints",
            "kinematic tree must have 24 joints",
            a -> a.parents = new int[52]),
        broken(
            "a child before its parent",
            "parent of joint 4 must come before it",
            a -> a.parents[4] = 7),
        broken("a second root", "parent of joint 3 must come before it", a -> a.parents[3] = -1),
        broken("a root with a parent", "joint 0 must be the root", a -> a.parents[0] = 0));
  }

  private static Arguments broken(String what, String message, Consumer<Args> breakIt) {
    return Arguments.of(what, message, breakIt);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenArguments")
  void shouldRejectMismatchedArguments(String what, String message, Consumer<Args> breakIt) {
    // Given
    Args args = new Args();
    breakIt.accept(args);

    // When / Then
    assertThatThrownBy(args::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void shouldAcceptValidArgumentsWithOrWithoutPoseBlendShapesAndShapes() {
    // Given
    Args args = new Args();
    Args plain = new Args();
    plain.poseDirs = null;
    plain.shapeDirs = new float[0];

    // When
    SkinnedBodyModel model = args.build();
    SkinnedBodyModel bare = plain.build();

    // Then
    assertThat(model.vertexCount()).isEqualTo(V);
    assertThat(model.shapeCount()).isEqualTo(2);
    assertThat(model.faceCount()).isEqualTo(2);
    assertThat(model.hasPoseBlendShapes()).isTrue();
    assertThat(bare.hasPoseBlendShapes()).isFalse();
    assertThat(bare.shapeCount()).isZero();
    assertThat(bare.forward(BodyParams.rest(0)).vertices()).containsExactly(plain.template);
  }

  @Test
  void shouldCopyItsInputsSoLaterChangesDoNotLeakIn() {
    // Given
    Args args = new Args();
    SkinnedBodyModel model = args.build();

    // When
    args.template[0] = 5;
    args.faces[0] = 3;
    model.template()[1] = 7;

    // Then
    assertThat(model.template()[0]).isZero();
    assertThat(model.template()[1]).isZero();
    assertThat(model.faces()[0]).isZero();
  }

  @Test
  void shouldRejectMoreShapeCoefficientsThanTheModelHas() {
    SkinnedBodyModel model = new Args().build();
    assertThatThrownBy(() -> model.forward(BodyParams.rest(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has 2 shape coefficients, got 3");
  }
}
