package io.megastream.recover;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.pose.CropWindow;
import io.megastream.proto.Roi;
import org.junit.jupiter.api.Test;

class BatchProcessorRoiTest {

  private static Roi roi(float cx, float cy, float side, float angle) {
    return Roi.newBuilder().setCenterX(cx).setCenterY(cy).setSide(side).setAngle(angle).build();
  }

  @Test
  void shouldAcceptAnRoiThatOverlapsTheImageAndRejectBrokenOnes() {
    assertThat(BatchProcessor.inside(roi(320, 240, 200, 0.4f), 640, 480)).isTrue();
    // a corner of the ROI in the image is enough: the crop pads the rest
    assertThat(BatchProcessor.inside(roi(-50, -50, 200, 0), 640, 480)).isTrue();
    assertThat(BatchProcessor.inside(roi(2000, 240, 200, 0), 640, 480)).isFalse();
    assertThat(BatchProcessor.inside(roi(320, 240, 1, 0), 640, 480)).isFalse();
    assertThat(BatchProcessor.inside(roi(320, 240, Float.NaN, 0), 640, 480)).isFalse();
    assertThat(BatchProcessor.inside(roi(320, 240, 200, Float.POSITIVE_INFINITY), 640, 480))
        .isFalse();
  }

  @Test
  void shouldReadTheRoiAsTheCropWindow() {
    assertThat(BatchProcessor.window(roi(10, 20, 30, 0.5f)))
        .isEqualTo(new CropWindow(10, 20, 30, 0.5f));
  }
}
