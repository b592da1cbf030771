package io.megastream.mega.motion.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PchipTest {

  @Test
  void shouldPassThroughItsKeysAndRestAtTheEnds() {
    Pchip c = new Pchip(new double[] {0, 1, 2, 4}, new double[] {0, 5, 3, 3}, true);

    assertThat(c.at(1)).isEqualTo(5);
    assertThat(c.at(2)).isEqualTo(3);
    assertThat(c.at(-1)).isEqualTo(0);
    assertThat(c.at(9)).isEqualTo(3);
    assertThat(c.at(1e-4) - c.at(0)).isLessThan(1e-6); // slope 0 at the start
  }

  @Test
  void shouldNeverOvershootItsKeys() {
    // given keys that a Catmull-Rom spline would overshoot (a step)
    Pchip c = new Pchip(new double[] {0, 1, 2, 3, 4}, new double[] {0, 0, 1, 1, 1}, false);

    // then every value lies between the neighbouring keys
    for (double t = 0; t <= 4; t += 0.01) {
      assertThat(c.at(t)).isBetween(0.0, 1.0);
    }
  }

  @Test
  void shouldCloseAPeriodicCurveSmoothly() {
    Pchip c = Pchip.periodic(0.0, 10, 0.3, 40, 0.7, -5);

    double h = 1e-6;
    assertThat(c.atPhase(1 - h)).isCloseTo(c.atPhase(0), within(1e-3));
    double slopeBefore = (c.atPhase(0) - c.atPhase(-h)) / h;
    double slopeAfter = (c.atPhase(h) - c.atPhase(0)) / h;
    assertThat(slopeAfter).isCloseTo(slopeBefore, within(0.01));
    assertThat(c.atPhase(2.3)).isCloseTo(40, within(1e-9));
  }

  @Test
  void shouldRejectKnotsThatDoNotIncrease() {
    assertThatThrownBy(() -> new Pchip(new double[] {0, 0}, new double[] {1, 2}, true))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
