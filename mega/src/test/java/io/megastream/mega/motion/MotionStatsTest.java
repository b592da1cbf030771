package io.megastream.mega.motion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.Joint;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MotionStatsTest {

  @Test
  void shouldCorrelateSeriesByPearson() {
    double[] a = {1, 2, 3, 4};

    assertThat(MotionStats.pearson(a, new double[] {2, 4, 6, 8})).isCloseTo(1, within(1e-12));
    assertThat(MotionStats.pearson(a, new double[] {4, 3, 2, 1})).isCloseTo(-1, within(1e-12));
    assertThatThrownBy(() -> MotionStats.pearson(a, new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldMeasureTheAngularSpeedOfAJoint() {
    // given a knee bending at 2 rad/s, filmed at 30 fps
    List<BodyParams> frames = new ArrayList<>();
    for (int t = 0; t < 10; t++) {
      frames.add(BodyParams.rest(10).withJoint(Joint.LEFT_KNEE, 2.0 * t / 30, 0, 0));
    }
    MotionClip clip = new MotionClip("c", Action.RANDOM, 30, 0, new double[10], frames);

    // when its speed is measured, then it is 2 rad/s, and the other joints stand still
    assertThat(MotionStats.angularSpeeds(clip, Joint.LEFT_KNEE))
        .hasSize(9)
        .containsOnly(new double[] {2.0}, within(1e-6));
    assertThat(MotionStats.angularSpeeds(clip, Joint.RIGHT_KNEE)).containsOnly(0.0);
    assertThat(MotionStats.maxAngularSpeed(clip)).isCloseTo(2.0, within(1e-6));
  }

  @Test
  void shouldCountPrincipalComponents() {
    // given points along a line in 5-D, and points spread equally over 3 of 5 dimensions
    SplittableRandom rng = new SplittableRandom(1);
    double[][] line = new double[200][];
    double[][] blob = new double[2000][];
    for (int i = 0; i < line.length; i++) {
      double s = rng.nextDouble(-1, 1);
      line[i] = new double[] {s, 2 * s, -s, 0, 0.5 * s};
    }
    for (int i = 0; i < blob.length; i++) {
      blob[i] =
          new double[] {rng.nextDouble(-1, 1), rng.nextDouble(-1, 1), rng.nextDouble(-1, 1), 0, 0};
    }

    // then one component explains the line, three are needed for the blob
    assertThat(MotionStats.componentsFor(line, 0.99)).isEqualTo(1);
    assertThat(MotionStats.componentsFor(blob, 0.9)).isEqualTo(3);
    assertThat(MotionStats.principalVariances(blob)[0]).isCloseTo(1.0 / 3, within(0.03));
  }
}
