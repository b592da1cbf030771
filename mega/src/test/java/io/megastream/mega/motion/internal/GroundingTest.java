package io.megastream.mega.motion.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GroundingTest {

  private static final double FPS = 30;

  @Test
  void shouldKeepAStandingBodyWhereItIs() {
    Pose[] poses = new Pose[20];
    Arrays.fill(poses, Pose.standing());

    double[][] t = Grounding.translations(Performance.grounded(poses), FPS);

    // (its soft knees hold the pelvis a few millimetres below the rest pose's)
    for (double[] p : t) {
      assertThat(p).containsExactly(new double[] {0, 0, 0}, within(0.01));
      assertThat(p).containsExactly(t[0], within(1e-12));
    }
  }

  @Test
  void shouldLowerThePelvisAndKeepTheFeetInPlaceInASquat() {
    // given a squat played from a timeline
    Performance squat =
        new Timeline(Pose.standing()).to(Poses.squat(1), 1).perform(31, FPS, null, 0);

    // when placed on the floor
    double[][] t = Grounding.translations(squat, FPS);

    // then the pelvis drops, moves back over the heels, and the feet stay on the floor and still
    assertThat(t[30][1]).isLessThan(-0.3);
    assertThat(t[30][2]).isLessThan(-0.05);
    double[] before = footInWorld(squat.poses()[0], t[0]);
    double[] after = footInWorld(squat.poses()[30], t[30]);
    assertThat(after).containsExactly(before, within(0.01));
  }

  @Test
  void shouldFollowABallisticArcInFlight() {
    // given a body that is in the air for 16 frames
    Pose[] poses = new Pose[40];
    Arrays.fill(poses, Pose.standing());
    boolean[] air = new boolean[40];
    Arrays.fill(air, 10, 25, true);

    // when placed
    double[][] t = Grounding.translations(new Performance(poses, air, 0, false), FPS);

    // then its apex is g T^2 / 8 above the floor, T from the last frame down to the first again
    double flight = 16 / FPS;
    double apex = Arrays.stream(t).mapToDouble(p -> p[1]).max().orElseThrow();
    double floor = t[0][1];
    assertThat(apex - floor).isCloseTo(9.81 * flight * flight / 8, within(0.01));
    assertThat(t[9][1]).isEqualTo(floor);
    assertThat(t[25][1]).isEqualTo(floor);
  }

  /** The world position of the left ball of the foot. */
  private static double[] footInWorld(Pose pose, double[] translation) {
    double[] ball = Skeleton.joints(pose)[io.megastream.mega.body.Joint.LEFT_FOOT.ordinal()];
    return new double[] {
      ball[0] + translation[0], ball[1] + translation[1], ball[2] + translation[2]
    };
  }
}
