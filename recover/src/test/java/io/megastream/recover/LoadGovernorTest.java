package io.megastream.recover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LoadGovernorTest {

  @Test
  void shouldRaiseTheThresholdStepByStepWhileBehindAndStopSamplingAtTheTop() {
    LoadGovernor g = new LoadGovernor(0.8, 10);

    assertThat(g.update(11)).isCloseTo(0.85, within(1e-9));
    assertThat(g.update(50)).isCloseTo(0.90, within(1e-9));
    assertThat(g.update(50)).isCloseTo(0.95, within(1e-9));
    assertThat(g.update(50)).isEqualTo(1.0);
    assertThat(g.update(500)).isEqualTo(1.0);
    assertThat(g.level()).isEqualTo(LoadGovernor.LEVELS);
  }

  @Test
  void shouldHoldBetweenHalfTheBoundAndTheBoundAndRecoverUnderHalf() {
    LoadGovernor g = new LoadGovernor(0.8, 10);
    g.update(11);
    g.update(11);

    // at the bound and down to half of it: no change (hysteresis)
    assertThat(g.update(10)).isCloseTo(0.90, within(1e-9));
    assertThat(g.update(5)).isCloseTo(0.90, within(1e-9));
    // under half: one step down per batch, back to the configured threshold
    assertThat(g.update(4)).isCloseTo(0.85, within(1e-9));
    assertThat(g.update(0)).isCloseTo(0.80, within(1e-9));
    assertThat(g.update(0)).isCloseTo(0.80, within(1e-9));
    assertThat(g.level()).isZero();
  }

  @Test
  void shouldNeverMoveWhenTheBoundIsOff() {
    LoadGovernor g = new LoadGovernor(0.91, 0);

    assertThat(g.update(1_000_000)).isEqualTo(0.91);
    assertThat(g.update(1_000_000)).isEqualTo(0.91);
  }

  @Test
  void shouldRejectAThresholdOutsideZeroToOneOrANegativeBound() {
    assertThatThrownBy(() -> new LoadGovernor(1.5, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LoadGovernor(0.5, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
