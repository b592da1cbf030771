package io.megastream.pose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

class PoseDetectorTest {

  @Test
  void shouldLayOutTheAnchorsAsMediaPipesGraph() {
    float[] c = PoseDetections.anchorCentres();

    assertThat(c).hasSize(2 * PoseDetections.ANCHORS);
    // stride 8: 28 x 28 cells, 2 anchors each; stride 16: 14 x 14 x 2; stride 32: 7 x 7 x 6
    assertThat(new float[] {c[0], c[1], c[2], c[3]})
        .containsExactly(new float[] {0.5f / 28, 0.5f / 28, 0.5f / 28, 0.5f / 28}, within(1e-6f));
    assertThat(c[2 * 2]).isCloseTo(1.5f / 28, within(1e-6f));
    assertThat(c[2 * 1568]).isCloseTo(0.5f / 14, within(1e-6f));
    assertThat(c[2 * 1960]).isCloseTo(0.5f / 7, within(1e-6f));
    assertThat(c[2 * 1965]).isCloseTo(0.5f / 7, within(1e-6f)); // six per cell
    assertThat(c[2 * 1966]).isCloseTo(1.5f / 7, within(1e-6f));
    assertThat(c[2 * 2253]).isCloseTo(6.5f / 7, within(1e-6f));
    assertThat(c[2 * 2253 + 1]).isCloseTo(6.5f / 7, within(1e-6f));
  }

  @Test
  void shouldDecodeBoxesAndKeypointsRelativeToTheirAnchor() {
    float[] boxes = new float[PoseDetections.ANCHORS * PoseDetections.COORDS];
    float[] scores = new float[PoseDetections.ANCHORS];
    Arrays.fill(scores, -10);
    int i = 1568; // first anchor of the stride-16 grid, centre (1/28, 1/28)
    scores[i] = 3;
    float[] raw = {22.4f, -11.2f, 44.8f, 22.4f, 0, 0, 0, -22.4f, 0, 0, 0, 0};
    System.arraycopy(raw, 0, boxes, i * PoseDetections.COORDS, raw.length);

    List<PoseDetections.Detection> found = PoseDetections.decode(boxes, scores, 0.5f);

    assertThat(found).hasSize(1);
    PoseDetections.Detection d = found.get(0);
    float a = 0.5f / 14;
    assertThat(d.score()).isCloseTo((float) (1 / (1 + Math.exp(-3))), within(1e-6f));
    // centre (a + 0.1, a - 0.05), size (0.2, 0.1)
    assertThat(d.box()).containsExactly(new float[] {a, a - 0.1f, 0.2f, 0.1f}, within(1e-6f));
    assertThat(d.keypointX(0)).isCloseTo(a, within(1e-6f));
    assertThat(d.keypointY(1)).isCloseTo(a - 0.1f, within(1e-6f));
  }

  @Test
  void shouldMergeOverlappingDetectionsByTheirScoresAndKeepSeparateOnes() {
    float[] kp = new float[8];
    PoseDetections.Detection a =
        new PoseDetections.Detection(new float[] {0.1f, 0.1f, 0.2f, 0.2f}, kp.clone(), 0.9f);
    float[] kpB = kp.clone();
    kpB[0] = 1;
    PoseDetections.Detection b =
        new PoseDetections.Detection(new float[] {0.12f, 0.1f, 0.2f, 0.2f}, kpB, 0.3f);
    PoseDetections.Detection far =
        new PoseDetections.Detection(new float[] {0.6f, 0.6f, 0.2f, 0.2f}, kp.clone(), 0.6f);

    List<PoseDetections.Detection> kept = PoseDetections.weightedNms(List.of(b, far, a), 0.3, 10);

    assertThat(kept).hasSize(2);
    assertThat(kept.get(0).score()).isEqualTo(0.9f);
    assertThat(kept.get(0).box()[0]).isCloseTo((0.9f * 0.1f + 0.3f * 0.12f) / 1.2f, within(1e-6f));
    assertThat(kept.get(0).keypointX(0)).isCloseTo(0.3f / 1.2f, within(1e-6f));
    assertThat(kept.get(1).score()).isEqualTo(0.6f);
    assertThat(PoseDetections.weightedNms(List.of(b, far, a), 0.3, 1)).hasSize(1);
  }

  @Test
  void shouldMakeMediaPipesRoiFromTheHipAndBodyKeypoints() {
    // upright: the full-body point straight above the hips
    PoseRoi up = PoseRoi.fromKeypoints(100, 200, 100, 120, 0.9f);
    assertThat(up.angle()).isCloseTo(0, within(1e-12));
    assertThat(up.side()).isCloseTo(2 * 80 * 1.25, within(1e-9));
    assertThat(up.centerX()).isEqualTo(100);

    // lying with the head to the right: the body points along +x, rotate by +90 degrees
    PoseRoi right = PoseRoi.fromKeypoints(100, 200, 180, 200, 0.9f);
    assertThat(right.angle()).isCloseTo(Math.PI / 2, within(1e-12));
    // upside down
    assertThat(Math.abs(PoseRoi.fromKeypoints(0, 0, 0, 50, 1).angle()))
        .isCloseTo(Math.PI, within(1e-12));
  }

  @Test
  void shouldRoundTripPointsThroughARotatedCropAndPutPixelsWhereItSays() {
    try (Mat frame = new Mat(200, 300, opencv_core.CV_8UC3, new Scalar(0.0))) {
      // a bright dot at (190, 70)
      org.bytedeco.opencv.global.opencv_imgproc.circle(
          frame, new Point(190, 70), 2, new Scalar(255, 255, 255, 0), -1, 8, 0);
      double angle = 0.7;
      try (PersonCrop crop = PersonCrop.of(frame, 150, 100, 120, angle, 96)) {
        double u = crop.cropU(190, 70);
        double v = crop.cropV(190, 70);
        assertThat(crop.frameX(u, v)).isCloseTo(190, within(1e-9));
        assertThat(crop.frameY(u, v)).isCloseTo(70, within(1e-9));
        // the brightest crop pixel is where the mapping puts the dot
        org.bytedeco.opencv.opencv_core.Mat gray = new Mat();
        org.bytedeco.opencv.global.opencv_imgproc.cvtColor(
            crop.image(), gray, org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY);
        Point max = new Point();
        opencv_core.minMaxLoc(gray, (double[]) null, null, null, max, null);
        assertThat(max.x()).isCloseTo((int) Math.round(u * 96), within(2));
        assertThat(max.y()).isCloseTo((int) Math.round(v * 96), within(2));
        gray.close();
        assertThatThrownBy(() -> crop.frameX(0.5)).isInstanceOf(IllegalStateException.class);
      }
    }
  }

  @Test
  void shouldFindThePedestriansOfTheRealClipInTiles() throws Exception {
    // Given: frame 100 of OpenCV's vtest.avi (768 x 576, pedestrians 80-130 px tall) and the
    // mid-hip points of its pedestrians, labelled by hand; two walk side by side at (505, 185)
    double[][] hips = {{360, 237}, {393, 218}, {437, 222}, {505, 185}, {603, 195}, {230, 75}};
    byte[] jpeg;
    try (var in = getClass().getResourceAsStream("vtest-frame100.jpg")) {
      jpeg = in.readAllBytes();
    }

    List<PoseRoi> rois;
    try (PoseDetector detector = PoseDetector.load(PoseDetector.Options.DEFAULTS, 2);
        Mat image =
            org.bytedeco.opencv.global.opencv_imgcodecs.imdecode(
                new Mat(new org.bytedeco.javacpp.BytePointer(jpeg)),
                org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR)) {
      rois = detector.detect(image);
    }

    // Then: most pedestrians have an ROI centred on their hips, upright, about their size
    boolean[] found = new boolean[hips.length];
    int unmatched = 0;
    for (PoseRoi r : rois) {
      boolean matched = false;
      for (int i = 0; i < hips.length; i++) {
        if (Math.hypot(r.centerX() - hips[i][0], r.centerY() - hips[i][1]) < 20) {
          found[i] = true;
          matched = true;
          assertThat(Math.abs(r.angle())).isLessThan(0.4);
          assertThat(r.side()).isBetween(60.0, 250.0);
        }
      }
      unmatched += matched ? 0 : 1;
    }
    int hits = 0;
    for (boolean f : found) {
      hits += f ? 1 : 0;
    }
    assertThat(hits).as("pedestrians found in %s", rois).isGreaterThanOrEqualTo(4);
    assertThat(unmatched).as("ROIs on no pedestrian in %s", rois).isLessThanOrEqualTo(2);
  }

  @Test
  void shouldRejectAModelThatIsNotTheDetector() {
    byte[] garbage = new byte[4096];
    Arrays.fill(garbage, (byte) 3);

    assertThatThrownBy(() -> PoseDetector.load(garbage, PoseDetector.Options.DEFAULTS, 1))
        .isInstanceOf(PoseModelException.class)
        .hasMessageContaining("pose_detection.tflite")
        .hasMessageContaining("corrupt");
  }
}
