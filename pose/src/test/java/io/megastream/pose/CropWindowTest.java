package io.megastream.pose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CropWindowTest {

  @Test
  void shouldMapFramePointsIntoTheRotatedCropAndBack() {
    // Given: a window tilted by 40 degrees
    CropWindow w = new CropWindow(320, 240, 200, Math.toRadians(40));

    // When: frame -> crop -> frame
    double u = w.cropU(350, 180);
    double v = w.cropV(350, 180);

    // Then: the round trip returns the point; the centre is (0.5, 0.5)
    assertThat(w.frameX(u, v)).isCloseTo(350, within(1e-9));
    assertThat(w.frameY(u, v)).isCloseTo(180, within(1e-9));
    assertThat(w.cropU(320, 240)).isCloseTo(0.5, within(1e-12));
    assertThat(w.cropV(320, 240)).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void shouldCutTheSquareOfThePaddedLongerSideAroundABox() {
    // When
    CropWindow w = CropWindow.around(100, 50, 40, 120);

    // Then
    assertThat(w.centerX()).isEqualTo(120);
    assertThat(w.centerY()).isEqualTo(110);
    assertThat(w.side()).isEqualTo(120 * PersonCrop.PADDING);
    assertThat(w.angle()).isZero();
  }

  @Test
  void shouldBoundARotatedSquareByItsDiagonalAt45Degrees() {
    // When
    float[] b = new CropWindow(0, 0, 100, Math.PI / 4).bounds();

    // Then
    assertThat(b[2]).isCloseTo((float) (100 * Math.sqrt(2)), within(1e-3f));
    assertThat(b[0]).isCloseTo((float) (-50 * Math.sqrt(2)), within(1e-3f));
  }
}
