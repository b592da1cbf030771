package io.megastream.mega.motion;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.Joint;
import io.megastream.mega.body.JointLimits;
import io.megastream.mega.body.Rotations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Whether the generated motion is plausible: limits, smoothness, coordination, contact. */
class MotionRealismTest {

  private static final int FPS = 30;
  private static final int CLIPS_PER_ACTION = 16;
  private static final double[] THIGH = {0, -1, 0};
  private static final double[] LEFT_ARM = {1, 0, 0};

  private static final Map<Action, List<MotionClip>> CLIPS = new EnumMap<>(Action.class);

  @BeforeAll
  static void generate() {
    MotionGenerator g = MotionGenerator.builder().setSeed(2024).optFps(FPS).build();
    for (Action action : Action.values()) {
      List<MotionClip> clips = new ArrayList<>();
      for (int i = 0; i < CLIPS_PER_ACTION; i++) {
        clips.add(g.clip(i, action, (2 + i % 5) * FPS)); // 2-6 s
      }
      CLIPS.put(action, clips);
    }
  }

  @ParameterizedTest
  @EnumSource(Action.class)
  void shouldKeepEveryJointWithinItsLimits(Action action) {
    for (MotionClip clip : CLIPS.get(action)) {
      for (BodyParams p : clip.frames()) {
        double[] pose = p.pose();
        for (int j = 1; j < Joint.COUNT; j++) {
          assertThat(
                  JointLimits.within(
                      Joint.of(j), pose[j * 3], pose[j * 3 + 1], pose[j * 3 + 2], 1e-6))
              .as("%s %s", clip.id(), Joint.of(j))
              .isTrue();
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Action.class)
  void shouldNeverBendAKneeOrAnElbowBackwards(Action action) {
    for (MotionClip clip : CLIPS.get(action)) {
      for (BodyParams p : clip.frames()) {
        // knees flex about +x; the left elbow about -y, the right about +y
        assertThat(euler(p, Joint.LEFT_KNEE)[0]).isGreaterThan(-1e-6);
        assertThat(euler(p, Joint.RIGHT_KNEE)[0]).isGreaterThan(-1e-6);
        assertThat(euler(p, Joint.LEFT_ELBOW)[1]).isLessThan(1e-6);
        assertThat(euler(p, Joint.RIGHT_ELBOW)[1]).isGreaterThan(-1e-6);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Action.class)
  void shouldMoveEveryJointAtAHumanSpeed(Action action) {
    for (MotionClip clip : CLIPS.get(action)) {
      // given the rotation of every joint (the global orientation too) between frames
      double max = MotionStats.maxAngularSpeed(clip);

      // then none turns faster than 25 rad/s (a pitcher's arm peaks near 40, a sprinter's hip near
      // 15)
      assertThat(max).as(clip.id()).isFinite().isLessThan(25);
    }
  }

  @ParameterizedTest
  @EnumSource(Action.class)
  void shouldMoveTheBodyWithoutJumps(Action action) {
    for (MotionClip clip : CLIPS.get(action)) {
      for (int t = 1; t < clip.frameCount(); t++) {
        double[] a = clip.frame(t - 1).translation();
        double[] b = clip.frame(t).translation();
        double step =
            Math.sqrt(
                Math.pow(b[0] - a[0], 2) + Math.pow(b[1] - a[1], 2) + Math.pow(b[2] - a[2], 2));
        assertThat(step * FPS).as("%s frame %d", clip.id(), t).isFinite().isLessThan(6.0);
      }
      for (BodyParams p : clip.frames()) {
        assertThat(Arrays.stream(p.pose()).allMatch(Double::isFinite)).isTrue();
      }
    }
  }

  @Test
  void shouldSwingTheLegsInAntiphaseAndEachArmAgainstItsLegWhenWalking() {
    // given every frame of the walks, the forward swing of each thigh and of the left upper arm
    List<Double> leftHip = new ArrayList<>();
    List<Double> rightHip = new ArrayList<>();
    List<Double> leftShoulder = new ArrayList<>();
    for (MotionClip clip : CLIPS.get(Action.WALK)) {
      for (BodyParams p : clip.frames()) {
        leftHip.add(forwardSwing(p, Joint.LEFT_HIP, THIGH));
        rightHip.add(forwardSwing(p, Joint.RIGHT_HIP, THIGH));
        leftShoulder.add(forwardSwing(p, Joint.LEFT_SHOULDER, LEFT_ARM));
      }
    }

    // when they are correlated
    double hips = MotionStats.pearson(toArray(leftHip), toArray(rightHip));
    double armAndLeg = MotionStats.pearson(toArray(leftShoulder), toArray(leftHip));

    // then the left leg swings back as the right swings forward, and the left arm against the left
    // leg (measured: about -0.9 and -0.85)
    assertThat(hips).isLessThan(-0.5);
    assertThat(armAndLeg).isLessThan(-0.5);
  }

  @Test
  void shouldBendTheKneeAboutSixtyDegreesInWalkingSwingAndStraightenItInStance() {
    for (MotionClip clip : CLIPS.get(Action.WALK)) {
      double max = 0;
      double min = Double.POSITIVE_INFINITY;
      for (BodyParams p : clip.frames()) {
        double knee = Math.toDegrees(euler(p, Joint.LEFT_KNEE)[0]);
        max = Math.max(max, knee);
        min = Math.min(min, knee);
      }
      assertThat(max).as(clip.id()).isBetween(50.0, 75.0);
      assertThat(min).as(clip.id()).isLessThan(10.0);
    }
  }

  @Test
  void shouldWalkAndRunAtHumanSpeeds() {
    assertThat(CLIPS.get(Action.WALK))
        .allSatisfy(c -> assertThat(groundSpeed(c)).as(c.id()).isBetween(0.7, 1.8));
    assertThat(CLIPS.get(Action.RUN))
        .allSatisfy(c -> assertThat(groundSpeed(c)).as(c.id()).isBetween(2.0, 4.5));
  }

  @Test
  void shouldLeaveTheFloorWhenJumpingAndGetDownWhenSquattingOrFalling() {
    assertThat(CLIPS.get(Action.JUMP)).allSatisfy(c -> assertThat(maxHeight(c)).isGreaterThan(0.1));
    assertThat(CLIPS.get(Action.SQUAT)).allSatisfy(c -> assertThat(minHeight(c)).isLessThan(-0.08));
    assertThat(CLIPS.get(Action.FALL_AND_GET_UP))
        .allSatisfy(c -> assertThat(minHeight(c)).isLessThan(-0.4))
        .filteredOn(c -> c.durationSeconds() >= 4) // long enough for the whole story
        .allSatisfy(
            c -> assertThat(c.frame(c.frameCount() - 1).translation()[1]).isGreaterThan(-0.05));
    assertThat(CLIPS.get(Action.WALK)).allSatisfy(c -> assertThat(maxHeight(c)).isLessThan(0.03));
  }

  @Test
  void shouldCoordinateJointsInRandomPosesUnlikeIndependentAngles() {
    // given poses of the random action, every 10th frame of 60 clips
    MotionGenerator g = MotionGenerator.builder().setSeed(77).optFps(FPS).build();
    List<double[]> random = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      MotionClip clip = g.clip(i, Action.RANDOM, 4 * FPS);
      for (int t = 0; t < clip.frameCount(); t += 10) {
        random.add(Arrays.copyOfRange(clip.frame(t).pose(), 3, 72));
      }
    }
    // and as many poses with each Euler angle drawn uniformly within its limits
    SplittableRandom rng = new SplittableRandom(77);
    List<double[]> uniform = new ArrayList<>();
    for (int i = 0; i < random.size(); i++) {
      uniform.add(uniformPose(rng));
    }

    // when counting the principal components that explain 90% of each set's variance
    int coordinated = MotionStats.componentsFor(random.toArray(new double[0][]), 0.9);
    int independent = MotionStats.componentsFor(uniform.toArray(new double[0][]), 0.9);

    // then the random action lives in few dimensions (measured: 8 of 69, against 32)
    assertThat(coordinated).isLessThanOrEqualTo(15);
    assertThat(independent).isGreaterThanOrEqualTo(25);
    assertThat(coordinated * 2).isLessThan(independent);
  }

  /** The joint's Euler angles, in the decomposition its range uses. */
  private static double[] euler(BodyParams p, Joint j) {
    double[] pose = p.pose();
    int i = j.ordinal() * 3;
    return JointLimits.toEulerXyz(j, Rotations.fromAxisAngle(pose[i], pose[i + 1], pose[i + 2]));
  }

  /** How far a joint's rotation swings its bone forward in the sagittal plane, radians. */
  private static double forwardSwing(BodyParams p, Joint j, double[] restBone) {
    double[] pose = p.pose();
    int i = j.ordinal() * 3;
    double[] r = Rotations.fromAxisAngle(pose[i], pose[i + 1], pose[i + 2]);
    double y = r[3] * restBone[0] + r[4] * restBone[1] + r[5] * restBone[2];
    double z = r[6] * restBone[0] + r[7] * restBone[1] + r[8] * restBone[2];
    return Math.atan2(z, -y);
  }

  private static double groundSpeed(MotionClip c) {
    double path = 0;
    for (int t = 1; t < c.frameCount(); t++) {
      double[] a = c.frame(t - 1).translation();
      double[] b = c.frame(t).translation();
      path += Math.hypot(b[0] - a[0], b[2] - a[2]);
    }
    return path / ((c.frameCount() - 1.0) / c.fps());
  }

  private static double maxHeight(MotionClip c) {
    return c.frames().stream().mapToDouble(p -> p.translation()[1]).max().orElseThrow();
  }

  private static double minHeight(MotionClip c) {
    return c.frames().stream().mapToDouble(p -> p.translation()[1]).min().orElseThrow();
  }

  private static double[] uniformPose(SplittableRandom rng) {
    double[] v = new double[69];
    for (int j = 1; j < Joint.COUNT; j++) {
      JointLimits.Range r = JointLimits.of(Joint.of(j));
      double[] m =
          JointLimits.fromEulerXyz(
              r.minX() + rng.nextDouble() * (r.maxX() - r.minX()),
              r.minY() + rng.nextDouble() * (r.maxY() - r.minY()),
              r.minZ() + rng.nextDouble() * (r.maxZ() - r.minZ()));
      System.arraycopy(Rotations.toAxisAngle(m), 0, v, (j - 1) * 3, 3);
    }
    return v;
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
