package io.megastream.mega.pose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.megastream.mega.body.Landmarks;
import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.render.SceneRenderer;
import io.megastream.mega.render.SyntheticScene;
import io.megastream.pose.Images;
import io.megastream.pose.PersonCrop;
import io.megastream.pose.PoseModelException;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

class BlazePoseTest {

  @Test
  void shouldPlaceLandmarksWhereTheBodyModelPutsThemOnARenderedPerson() {
    // Given: a rendered person with known landmark positions
    SyntheticScene scene =
        SyntheticScene.builder(ProceduralBody.build())
            .optPersons(1)
            .optSeed(1)
            .optFrames(2)
            .build();
    SceneRenderer.Frame frame = scene.next();
    SceneRenderer.PersonTruth truth = frame.persons().get(0);
    float[] b = truth.box();

    // When
    PoseLandmarks lm;
    try (BlazePose pose = BlazePose.load(BlazePose.Variant.FULL);
        Mat image = Images.toBgr(frame.pixels(), frame.width(), frame.height(), null);
        PersonCrop crop = PersonCrop.of(image, b[0], b[1], b[2], b[3], PersonCrop.PADDING, 256)) {
      lm = pose.estimate(crop.image());
      double[] errors = new double[Landmarks.COUNT];
      for (int k = 0; k < Landmarks.COUNT; k++) {
        errors[k] =
            Math.hypot(
                    crop.frameX(lm.x(k)) - truth.landmarks2d()[2 * k],
                    crop.frameY(lm.y(k)) - truth.landmarks2d()[2 * k + 1])
                / b[3];
      }
      Arrays.sort(errors);

      // Then: the real model finds the synthetic person and agrees with the body's landmarks
      assertThat(lm.presence()).isGreaterThan(0.9f);
      assertThat(errors[Landmarks.COUNT / 2]).isLessThan(0.06);
    }
    // world landmarks are metric and hip-centred: shoulders ~0.5 m above the hips
    assertThat(lm.world()[11 * 3 + 1]).isBetween(-0.8f, -0.3f);
  }

  @Test
  void shouldAgreeBetweenTfliteAndOpenCvAndBetweenABatchAndSingleCrops() {
    SyntheticScene scene =
        SyntheticScene.builder(ProceduralBody.build())
            .optPersons(2)
            .optSeed(5)
            .optFrames(2)
            .build();
    SceneRenderer.Frame frame = scene.next();
    try (BlazePose tflite = BlazePose.load(BlazePose.Variant.LITE, BlazePose.Engine.TFLITE, 2);
        BlazePose opencv = BlazePose.load(BlazePose.Variant.LITE, BlazePose.Engine.OPENCV, 2);
        Mat image = Images.toBgr(frame.pixels(), frame.width(), frame.height(), null)) {
      float[] b0 = frame.persons().get(0).box();
      float[] b1 = frame.persons().get(1).box();
      try (PersonCrop c0 = PersonCrop.of(image, b0[0], b0[1], b0[2], b0[3], 1.25, 256);
          PersonCrop c1 = PersonCrop.of(image, b1[0], b1[1], b1[2], b1[3], 1.25, 256)) {
        PoseLandmarks t0 = tflite.estimate(c0.image());
        PoseLandmarks o0 = opencv.estimate(c0.image());
        List<PoseLandmarks> batch = tflite.estimate(List.of(c0.image(), c1.image()));
        PoseLandmarks t1 = tflite.estimate(c1.image());

        assertThat(tflite.engine()).isEqualTo(BlazePose.Engine.TFLITE);
        for (int k = 0; k < Landmarks.COUNT; k++) {
          // the same model through two runtimes: within 1 % of the crop
          assertThat(Math.hypot(t0.x(k) - o0.x(k), t0.y(k) - o0.y(k))).isLessThan(0.01);
          // a batch of two gives each crop's own answer
          assertThat(batch.get(0).x(k)).isCloseTo(t0.x(k), within(1e-4f));
          assertThat(batch.get(1).y(k)).isCloseTo(t1.y(k), within(1e-4f));
        }
        assertThat(o0.presence()).isCloseTo(t0.presence(), within(0.02f));
      }
    }
  }

  @Test
  void shouldRejectBytesThatAreNotAModel() {
    byte[] garbage = new byte[4096];
    Arrays.fill(garbage, (byte) 7);

    assertThatThrownBy(() -> BlazePose.load(BlazePose.Variant.LITE, garbage))
        .isInstanceOf(PoseModelException.class)
        .hasMessageContaining("pose_landmark_lite.tflite");
  }

  @Test
  void shouldMapCropCoordinatesBackToTheFrame() {
    try (Mat frame = new Mat(100, 200, org.bytedeco.opencv.global.opencv_core.CV_8UC3);
        PersonCrop crop = PersonCrop.of(frame, 50, 10, 20, 40, 1.25, 64)) {
      assertThat(crop.side()).isEqualTo(50.0);
      assertThat(crop.frameX(0.5)).isEqualTo(60.0);
      assertThat(crop.frameY(0)).isEqualTo(5.0);
      assertThat(crop.cropX(crop.frameX(0.3)))
          .isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-12));
      assertThat(crop.image().cols()).isEqualTo(64);
    }
  }
}
