package io.megastream.mega.motion.internal;

import static io.megastream.mega.motion.internal.Side.LEFT;
import static io.megastream.mega.motion.internal.Side.RIGHT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.megastream.mega.body.Joint;
import io.megastream.mega.body.JointLimits;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The anatomical setters move the skeleton the way their names say. */
class PoseTest {

  private static final int X = 0;
  private static final int Y = 1;
  private static final int Z = 2;

  @Test
  void shouldMoveTheKneeForwardWhenTheHipFlexes() {
    for (Side s : Side.values()) {
      double[][] j = Skeleton.joints(Pose.standing().hipFlex(s, 60));
      assertThat(at(j, knee(s), Z) - at(j, hip(s), Z)).as(s.name()).isGreaterThan(0.25);
    }
  }

  @Test
  void shouldMoveTheAnkleBehindTheKneeWhenTheKneeFlexes() {
    for (Side s : Side.values()) {
      double[][] j = Skeleton.joints(Pose.standing().knee(s, 60));
      assertThat(at(j, ankle(s), Z) - at(j, knee(s), Z)).as(s.name()).isLessThan(-0.25);
    }
  }

  @Test
  void shouldRaiseTheToesWhenTheAnkleDorsiflexes() {
    double[][] flat = Skeleton.joints(Pose.standing());
    double[][] up = Skeleton.joints(Pose.standing().ankle(LEFT, 20).ankle(RIGHT, 20));

    for (Side s : Side.values()) {
      assertThat(at(up, ball(s), Y)).isGreaterThan(at(flat, ball(s), Y) + 0.02);
    }
  }

  @Test
  void shouldMoveTheHeadForwardWhenTheSpineFlexesAndTheBodyPitches() {
    double[][] upright = Skeleton.joints(Pose.standing());
    double[][] flexed = Skeleton.joints(Pose.standing().spine(45, 0, 0));
    double[][] pitched = Skeleton.joints(Pose.standing().pitch(30));

    int head = Joint.HEAD.ordinal();
    assertThat(at(flexed, head, Z)).isGreaterThan(at(upright, head, Z) + 0.2);
    assertThat(at(pitched, head, Z)).isGreaterThan(at(upright, head, Z) + 0.2);
  }

  @Test
  void shouldHangTheArmsAtTheSidesWhenStanding() {
    double[][] j = Skeleton.joints(Pose.standing());

    for (Side s : Side.values()) {
      assertThat(at(j, wrist(s), Y)).isLessThan(at(j, shoulder(s), Y) - 0.4);
      assertThat(at(j, wrist(s), X) * sign(s)).isGreaterThan(0.1);
    }
  }

  @Test
  void shouldSwingEitherArmForwardWithForwardAndOutWithOut() {
    for (Side s : Side.values()) {
      double[][] forward = Skeleton.joints(Pose.standing().arm(s, 90, 0, 0).elbow(s, 0));
      double[][] out = Skeleton.joints(Pose.standing().arm(s, 0, 90, 0).elbow(s, 0));

      assertThat(at(forward, wrist(s), Z) - at(forward, shoulder(s), Z)).isGreaterThan(0.4);
      assertThat((at(out, wrist(s), X) - at(out, shoulder(s), X)) * sign(s)).isGreaterThan(0.4);
      assertThat(at(out, wrist(s), Y) - at(out, shoulder(s), Y)).isCloseTo(0, within(0.05));
    }
  }

  @Test
  void shouldBringTheForearmForwardWhenTheElbowFlexes() {
    for (Side s : Side.values()) {
      double[][] j = Skeleton.joints(Pose.standing().elbow(s, 90));
      assertThat(at(j, wrist(s), Z) - at(j, elbow(s), Z)).as(s.name()).isGreaterThan(0.2);
    }
  }

  @Test
  void shouldPointTheForearmUpInAThrowsCockedPosition() {
    double[][] j = Skeleton.joints(Pose.standing().arm(RIGHT, 85, 90, 0).elbow(RIGHT, 90));

    assertThat(at(j, wrist(RIGHT), Y) - at(j, elbow(RIGHT), Y)).isGreaterThan(0.2);
  }

  @Test
  void shouldTurnTheBodyToItsLeftWithPositiveHeading() {
    double[][] j = Skeleton.joints(Pose.standing().heading(90));

    // the body's front (+z) now points along +x: the left hip is behind the right
    assertThat(at(j, hip(LEFT), Z)).isLessThan(at(j, hip(RIGHT), Z) - 0.1);
  }

  @Test
  void shouldKeepTheFeetFlatInASquat() {
    Pose squat = Poses.squat(0.8);

    for (Side s : Side.values()) {
      double[][] j = Skeleton.joints(squat);
      double heelToBall = at(j, ball(s), Y) - at(j, ankle(s), Y);
      double rest =
          at(Skeleton.joints(Pose.zero()), ball(s), Y)
              - at(Skeleton.joints(Pose.zero()), ankle(s), Y);
      assertThat(heelToBall).isCloseTo(rest, within(0.01));
    }
  }

  @Test
  void shouldMirrorLeftAndRight() {
    Pose left = Pose.standing().hip(LEFT, 40, 10, 5).elbow(LEFT, 70).arm(LEFT, 20, 30, 10);

    Pose mirrored = left.mirrored();

    double[][] a = Skeleton.joints(left);
    double[][] b = Skeleton.joints(mirrored);
    for (Side s : Side.values()) {
      for (int j : new int[] {knee(s), wrist(s), ankle(s)}) {
        int m = Joint.of(j).mirror().ordinal();
        assertThat(b[m]).containsExactly(new double[] {-a[j][0], a[j][1], a[j][2]}, within(1e-9));
      }
    }
  }

  @Test
  void shouldDrawPriorPosesWithinTheJointLimits() {
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < 500; i++) {
      Pose p = PosePrior.sample(rng);
      for (int j = 1; j < Joint.COUNT; j++) {
        assertThat(JointLimits.of(Joint.of(j)).contains(p.euler(Joint.of(j)), 1e-12)).isTrue();
      }
    }
  }

  private static double at(double[][] joints, int joint, int axis) {
    return joints[joint][axis];
  }

  private static double sign(Side s) {
    return s == LEFT ? 1 : -1;
  }

  private static int pick(Side s, Joint left) {
    return (s == LEFT ? left : left.mirror()).ordinal();
  }

  private static int hip(Side s) {
    return pick(s, Joint.LEFT_HIP);
  }

  private static int knee(Side s) {
    return pick(s, Joint.LEFT_KNEE);
  }

  private static int ankle(Side s) {
    return pick(s, Joint.LEFT_ANKLE);
  }

  private static int ball(Side s) {
    return pick(s, Joint.LEFT_FOOT);
  }

  private static int shoulder(Side s) {
    return pick(s, Joint.LEFT_SHOULDER);
  }

  private static int elbow(Side s) {
    return pick(s, Joint.LEFT_ELBOW);
  }

  private static int wrist(Side s) {
    return pick(s, Joint.LEFT_WRIST);
  }
}
