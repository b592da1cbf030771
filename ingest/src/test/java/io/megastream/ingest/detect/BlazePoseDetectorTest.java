package io.megastream.ingest.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.megastream.ingest.CameraSpec;
import io.megastream.ingest.source.GrabbedImage;
import io.megastream.ingest.source.VideoSource;
import io.megastream.pose.PoseDetector;
import io.megastream.pose.PoseRoi;
import io.megastream.proto.Box;
import io.megastream.proto.PersonBox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class BlazePoseDetectorTest {

  /** A real pedestrian clip (768x576) from Debian's opencv-doc package. */
  private static final Path VTEST = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");

  @Test
  void shouldGiveTheBodyCircleAsTheBoxAndKeepTheRoi() {
    // Given: an ROI of side 250 (body circle radius 100) centred at (300, 200), tilted 0.3 rad
    PoseRoi roi = new PoseRoi(300, 200, 250, 0.3, 0.8f);

    // When
    PersonBox p = BlazePoseDetector.toPersonBox(roi, 640, 480);

    // Then: r = 100; the bounds of the 78 x 220 body rectangle turned by 0.3 rad, its centre 9 px
    // below the hips along the turned body, the ROI unchanged
    double halfWidth = 39 * Math.cos(0.3) + 110 * Math.sin(0.3);
    double halfHeight = 39 * Math.sin(0.3) + 110 * Math.cos(0.3);
    double cx = 300 - 9 * Math.sin(0.3);
    double cy = 200 + 9 * Math.cos(0.3);
    assertThat(p.getBox().getX()).isCloseTo((float) (cx - halfWidth), within(1e-3f));
    assertThat(p.getBox().getY()).isCloseTo((float) (cy - halfHeight), within(1e-3f));
    assertThat(p.getBox().getWidth()).isCloseTo((float) (2 * halfWidth), within(1e-3f));
    assertThat(p.getBox().getHeight()).isCloseTo((float) (2 * halfHeight), within(1e-3f));
    assertThat(p.getScore()).isEqualTo(0.8f);
    assertThat(p.getRoi().getCenterX()).isEqualTo(300f);
    assertThat(p.getRoi().getSide()).isEqualTo(250f);
    assertThat(p.getRoi().getAngle()).isCloseTo(0.3f, within(1e-6f));
  }

  @Test
  void shouldClipTheBoxToTheFrameAndDropAPersonOutsideIt() {
    // Given: one circle half out of the frame's left edge, one wholly beyond its right edge
    PoseRoi half = new PoseRoi(0, 200, 250, 0, 0.9f);
    PoseRoi outside = new PoseRoi(900, 200, 250, 0, 0.9f);

    // When / Then
    Box b = BlazePoseDetector.toPersonBox(half, 640, 480).getBox();
    assertThat(b.getX()).isEqualTo(0f);
    assertThat(b.getWidth()).isCloseTo(39f, within(1e-3f)); // half of the 78 px body
    assertThat(BlazePoseDetector.toPersonBox(outside, 640, 480)).isNull();
  }

  @Test
  void shouldFindNobodyInAnEmptyFrame() {
    try (BlazePoseDetector detector = new BlazePoseDetector(PoseDetector.Options.DEFAULTS);
        Mat grey = new Mat(480, 640, opencv_core.CV_8UC3, new Scalar(128, 128, 128, 0))) {
      assertThat(detector.detect(grey)).isEmpty();
    }
  }

  @Test
  void shouldFindSeveralPedestriansPerFrameOfTheRealClip() throws Exception {
    Assumptions.assumeTrue(Files.exists(VTEST), "needs " + VTEST + " (apt-get install opencv-doc)");
    // Given: every 50th of the first 200 frames (5-8 pedestrians in each, counted by eye)
    int found = 0;
    int sampled = 0;
    try (BlazePoseDetector detector = new BlazePoseDetector(PoseDetector.Options.DEFAULTS);
        VideoSource source =
            new VideoSource(CameraSpec.parse("v=file:" + VTEST), Duration.ofSeconds(5))) {
      source.open();
      for (int i = 0; i < 200; i++) {
        GrabbedImage image = source.grab();
        if (i % 50 != 0) {
          continue;
        }
        // When
        List<PersonBox> persons = detector.detect(image.bgr());
        sampled++;
        found += persons.size();

        // Then: every person has its ROI, centred inside its box, and the box inside the frame
        for (PersonBox p : persons) {
          Box b = p.getBox();
          assertThat(p.hasRoi()).isTrue();
          assertThat(p.getRoi().getCenterX()).isBetween(b.getX(), b.getX() + b.getWidth());
          assertThat(p.getRoi().getCenterY()).isBetween(b.getY(), b.getY() + b.getHeight());
          assertThat(b.getX() + b.getWidth()).isLessThanOrEqualTo(768.001f);
          assertThat(b.getY() + b.getHeight()).isLessThanOrEqualTo(576.001f);
          assertThat(p.getScore()).isGreaterThanOrEqualTo(0.5f);
        }
      }
    }
    // Then: most pedestrians found (HOG finds about one per frame on this clip)
    assertThat(sampled).isEqualTo(4);
    assertThat(found).isGreaterThanOrEqualTo(4 * 3);
  }
}
