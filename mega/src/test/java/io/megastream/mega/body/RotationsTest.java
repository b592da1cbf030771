package io.megastream.mega.body;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RotationsTest {

  private static final double[] IDENTITY = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  private static final double S = Math.sqrt(0.5);

  @Test
  void shouldTurnXTowardsYForAPositiveQuarterTurnAboutZ() {
    // When
    double[] r = Rotations.fromAxisAngle(0, 0, Math.PI / 2);

    // Then
    assertThat(r).containsExactly(new double[] {0, -1, 0, 1, 0, 0, 0, 0, 1}, within(1e-15));
  }

  @Test
  void shouldRecoverRandomAxisAnglesExactly() {
    Random random = new Random(5);
    for (int i = 0; i < 2000; i++) {
      // Given an axis-angle with angle below pi
      double[] axis = randomUnit(random);
      double angle = random.nextDouble() * (Math.PI - 1e-3);
      double[] aa = {axis[0] * angle, axis[1] * angle, axis[2] * angle};

      // When
      double[] back = Rotations.toAxisAngle(Rotations.fromAxisAngle(aa[0], aa[1], aa[2]));

      // Then
      assertThat(back).as("angle %s", angle).containsExactly(aa, within(1e-12));
    }
  }

  static Stream<Arguments> nearHalfTurns() {
    double[][] axes = {
      {1, 0, 0},
      {0, 1, 0},
      {0, 0, 1},
      {0, S, -S},
      {S, 0, -S},
      {-S, S, 0},
      {1e-9, S, -S},
      {0.6, -0.8, 0},
      {0.48, 0.6, -0.64}
    };
    double[] angles = {Math.PI, Math.PI - 1e-12, Math.PI - 1e-7, Math.PI - 1e-5, Math.PI - 1e-3};
    Stream.Builder<Arguments> b = Stream.builder();
    for (double[] axis : axes) {
      for (double angle : angles) {
        b.add(Arguments.of(axis, angle));
      }
    }
    return b.build();
  }

  @ParameterizedTest(name = "axis {0}, angle {1}")
  @MethodSource("nearHalfTurns")
  void shouldRoundTripRotationsAtAndNearHalfATurnWhateverTheAxis(double[] axis, double angle) {
    // Given
    double n = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
    double[] r =
        Rotations.fromAxisAngle(axis[0] / n * angle, axis[1] / n * angle, axis[2] / n * angle);

    // When
    double[] aa = Rotations.toAxisAngle(r);

    // Then the same rotation comes back, with the same angle (at pi the axis sign is free)
    assertThat(Rotations.fromAxisAngle(aa[0], aa[1], aa[2])).containsExactly(r, within(1e-12));
    assertThat(Math.sqrt(aa[0] * aa[0] + aa[1] * aa[1] + aa[2] * aa[2]))
        .isCloseTo(angle, within(1e-12));
  }

  @Test
  void shouldRecoverTheIdentityAndTinyAngles() {
    assertThat(Rotations.toAxisAngle(IDENTITY)).containsExactly(0, 0, 0);
    double[] tiny = {1e-10, -2e-10, 3e-10};
    assertThat(Rotations.toAxisAngle(Rotations.fromAxisAngle(tiny[0], tiny[1], tiny[2])))
        .containsExactly(tiny, within(1e-20));
    assertThat(Rotations.fromAxisAngle(0, 0, 0)).containsExactly(IDENTITY);
  }

  @Test
  void shouldRoundTripThroughTheSixDimensionalRepresentation() {
    Random random = new Random(8);
    for (int i = 0; i < 500; i++) {
      // Given
      double[] axis = randomUnit(random);
      double angle = random.nextDouble() * Math.PI;
      double[] r = Rotations.fromAxisAngle(axis[0] * angle, axis[1] * angle, axis[2] * angle);

      // When
      double[] six = Rotations.to6d(r);

      // Then
      assertThat(six).containsExactly(r[0], r[3], r[6], r[1], r[4], r[7]);
      assertThat(Rotations.from6d(six)).containsExactly(r, within(1e-12));
    }
  }

  @Test
  void shouldOrthonormaliseANoisySixDimensionalInput() {
    // Given two columns that are neither unit nor orthogonal
    double[] six = {2, 0.1, 0, 0.3, 1.5, 0.2};

    // When
    double[] r = Rotations.from6d(six);

    // Then R^T R = I, det = +1, and the first column keeps the first input's direction
    assertThat(Rotations.multiply(Rotations.transpose(r), r))
        .containsExactly(IDENTITY, within(1e-12));
    double det =
        r[0] * (r[4] * r[8] - r[5] * r[7])
            - r[1] * (r[3] * r[8] - r[5] * r[6])
            + r[2] * (r[3] * r[7] - r[4] * r[6]);
    assertThat(det).isCloseTo(1, within(1e-12));
    assertThat(r[3] / r[0]).isCloseTo(0.05, within(1e-12));
    assertThat(r[6]).isZero();
  }

  @Test
  void shouldRejectADegenerateSixDimensionalInput() {
    assertThatThrownBy(() -> Rotations.from6d(new double[] {1, 0, 0, 2, 0, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("degenerate");
  }

  @Test
  void shouldInvertARotationWithItsTranspose() {
    double[] r = Rotations.fromAxisAngle(0.3, -1.1, 0.7);
    assertThat(Rotations.multiply(r, Rotations.transpose(r)))
        .containsExactly(IDENTITY, within(1e-15));
  }

  private static double[] randomUnit(Random random) {
    double[] v = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
    double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    return new double[] {v[0] / n, v[1] / n, v[2] / n};
  }
}
