package io.megastream.mega.body;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The sign conventions in {@link JointLimits}' comments, checked by rotating bone directions. */
class JointLimitsTest {

  private static final double D = Math.PI / 180;
  private static final double[] DOWN = {0, -1, 0};
  private static final double[] UP = {0, 1, 0};
  private static final double[] FORWARD = {0, 0, 1};
  private static final double[] LEFT = {1, 0, 0};

  @Test
  void shouldSwingTheThighForwardWithNegativeHipX() {
    // given a thigh pointing down, when the hip rotates by -60 deg about x
    double[] thigh = rotate(JointLimits.fromEulerXyz(-60 * D, 0, 0), DOWN);

    // then the knee is in front of the hip
    assertThat(thigh[2]).isCloseTo(Math.sin(60 * D), within(1e-9));
  }

  @Test
  void shouldFoldTheShinBackwardWithPositiveKneeX() {
    double[] shin = rotate(JointLimits.fromEulerXyz(60 * D, 0, 0), DOWN);

    assertThat(shin[2]).isNegative();
    assertThat(JointLimits.of(Joint.LEFT_KNEE).minX()).isZero();
  }

  @Test
  void shouldPointTheToesDownWithPositiveAnkleX() {
    double[] foot = rotate(JointLimits.fromEulerXyz(30 * D, 0, 0), FORWARD);

    assertThat(foot[1]).isNegative();
  }

  @Test
  void shouldLeanTheTrunkForwardWithPositiveSpineX() {
    double[] trunk = rotate(JointLimits.fromEulerXyz(30 * D, 0, 0), UP);

    assertThat(trunk[2]).isPositive();
  }

  @Test
  void shouldHangTheLeftArmAtTheSideAtMinusNinetyDegreesOfZ() {
    double[] arm = rotate(JointLimits.fromEulerXyz(0, 0, -90 * D), LEFT);

    assertThat(arm).containsExactly(new double[] {0, -1, 0}, within(1e-9));
  }

  @Test
  void shouldSwingAHangingArmForwardWithNegativeXWhileYOnlyTwistsIt() {
    // given the left arm hanging at the side (z = -90 deg)
    // when it turns by -30 deg about y, or swings by -30 deg about x
    double[] turned = rotate(JointLimits.fromEulerXyz(0, -30 * D, -90 * D), LEFT);
    double[] swung = rotate(JointLimits.fromEulerXyz(-30 * D, 0, -90 * D), LEFT);

    // then y leaves it hanging (a twist about its own axis) and x brings it forward
    assertThat(turned).containsExactly(new double[] {0, -1, 0}, within(1e-9));
    assertThat(swung[2]).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void shouldSwingAnArmHeldOutSidewaysForwardWithNegativeY() {
    double[] arm = rotate(JointLimits.fromEulerXyz(0, -30 * D, 0), LEFT);

    assertThat(arm[2]).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void shouldFoldTheLeftForearmForwardWithNegativeElbowY() {
    double[] forearm = rotate(JointLimits.fromEulerXyz(0, -60 * D, 0), LEFT);

    assertThat(forearm[2]).isPositive();
  }

  @Test
  void shouldAcceptElbowFlexionBeyondNinetyDegrees() {
    // given a left elbow bent 120 deg, which XYZ Euler angles with |y| <= 90 deg write as
    // (180, -60, 180)
    double[] aa = Rotations.toAxisAngle(JointLimits.fromEulerXyz(0, -120 * D, 0));

    // when its range is checked
    boolean inside = JointLimits.within(Joint.LEFT_ELBOW, aa[0], aa[1], aa[2], 1e-9);
    double[] euler =
        JointLimits.toEulerXyz(Joint.LEFT_ELBOW, Rotations.fromAxisAngle(aa[0], aa[1], aa[2]));

    // then the other decomposition, (0, -120, 0), is used and is inside
    assertThat(inside).isTrue();
    assertThat(euler).containsExactly(new double[] {0, -120 * D, 0}, within(1e-9));
  }

  @Test
  void shouldRejectAnElbowBentBackward() {
    double[] aa = Rotations.toAxisAngle(JointLimits.fromEulerXyz(0, 20 * D, 0));

    assertThat(JointLimits.within(Joint.LEFT_ELBOW, aa[0], aa[1], aa[2], 1e-9)).isFalse();
    assertThat(JointLimits.within(Joint.RIGHT_ELBOW, aa[0], aa[1], aa[2], 1e-9)).isTrue();
  }

  @Test
  void shouldRejectAKneeBentForward() {
    double[] aa = Rotations.toAxisAngle(JointLimits.fromEulerXyz(-10 * D, 0, 0));

    assertThat(JointLimits.within(Joint.LEFT_KNEE, aa[0], aa[1], aa[2], 1e-9)).isFalse();
  }

  @Test
  void shouldKeepThePrincipalDecompositionBelowNinetyDegrees() {
    double[] r = JointLimits.fromEulerXyz(10 * D, -40 * D, 3 * D);

    assertThat(JointLimits.toEulerXyz(Joint.LEFT_ELBOW, r))
        .containsExactly(new double[] {10 * D, -40 * D, 3 * D}, within(1e-9));
  }

  private static double[] rotate(double[] m, double[] v) {
    return new double[] {
      m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
      m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
      m[6] * v[0] + m[7] * v[1] + m[8] * v[2]
    };
  }
}
