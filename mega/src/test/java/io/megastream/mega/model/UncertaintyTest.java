package io.megastream.mega.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class UncertaintyTest {

  @Test
  void shouldMeasureTheSpreadOfSamplesInMillimetres() {
    // Given: vertex 0 agrees; vertex 1 is 2 cm apart along x in the two samples
    float[] a = {0, 0, 0, -0.01f, 0, 0};
    float[] b = {0, 0, 0, 0.01f, 0, 0};

    // When
    Uncertainty u = Uncertainty.of(List.of(a, b));

    // Then
    assertThat(u.perVertexStdMm()[0]).isZero();
    assertThat(u.perVertexStdMm()[1]).isCloseTo(10f, within(1e-3f));
    assertThat(u.meanStdMm()).isCloseTo(5, within(1e-3));
    assertThat(u.maxStdMm()).isCloseTo(10, within(1e-3));
    assertThat(u.meanDistanceToMeanMm()).isCloseTo(5, within(1e-3));
  }

  @Test
  void shouldNeedTwoSamples() {
    assertThatThrownBy(() -> Uncertainty.of(List.of(new float[3])))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
