package io.megastream.mega.pose;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.Rotations;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.motion.MotionGenerator;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PoseConditioningTest {

  private static SkinnedBodyModel body;

  @BeforeAll
  static void body() {
    body = ProceduralBody.build();
  }

  @Test
  void shouldAgreeWithBlazePoseOnRenderedPeopleWithinTheMeasuredNoise() {
    // When: BlazePose on rendered crops against the body model's exact landmarks
    LandmarkNoiseMeasurement.Result r;
    try (BlazePose pose = BlazePose.load(BlazePose.Variant.FULL)) {
      r = LandmarkNoiseMeasurement.measure(body, pose, 3, 3, 11);
    }

    // Then: the same landmarks, a few percent of the crop apart; visibility tells hidden ones
    assertThat(r.crops()).isGreaterThanOrEqualTo(3);
    assertThat(r.meanPresence()).isGreaterThan(0.8);
    assertThat(r.median2d()).isLessThan(0.05);
    assertThat(r.noise().worldSigma()).isLessThan(0.15);
    assertThat(r.noise().visibleWhenVisible()).isGreaterThan(r.noise().visibleWhenHidden());
  }

  @Test
  void shouldFindBlazePoseWorseBehindOccludersThanInTheOpen() {
    // When: BlazePose on people hidden 25-70 %, against the truth
    LandmarkNoiseMeasurement.Result r;
    try (BlazePose pose = BlazePose.load(BlazePose.Variant.FULL)) {
      r =
          LandmarkNoiseMeasurement.measure(
              body,
              pose,
              40,
              3,
              7001,
              LandmarkNoiseMeasurement.Crops.BOX,
              LandmarkNoiseMeasurement.People.OCCLUDED);
    }

    // Then: hidden landmarks were measured, and they are further off than the visible ones
    assertThat(r.crops()).isPositive();
    assertThat(r.hidden().landmarks()).isPositive();
    assertThat(r.hidden().median2d()).isGreaterThan(r.median2d());
    assertThat(r.hidden().visibility()[1]).isLessThanOrEqualTo(r.hidden().visibleVisibility()[1]);
  }

  @Test
  void shouldAgreeWithBlazePoseOnThePoseDetectorsRotatedRoisToo() {
    // When: the same people, cropped where the pose detector puts them
    LandmarkNoiseMeasurement.Result r;
    try (BlazePose pose = BlazePose.load(BlazePose.Variant.FULL)) {
      r =
          LandmarkNoiseMeasurement.measure(
              body, pose, 3, 3, 11, LandmarkNoiseMeasurement.Crops.DETECTOR);
    }

    // Then: the detector found most of them, and the landmarks, turned back into the frame's
    // axes, agree as closely (errors of the wrong rotation would be a large share of the crop)
    assertThat(r.crops()).isGreaterThanOrEqualTo(3);
    assertThat(r.unfound()).isLessThanOrEqualTo(r.crops());
    assertThat(r.median2d()).isLessThan(0.05);
    assertThat(r.median2dOfHeight()).isLessThan(0.06);
  }

  @Test
  void shouldSynthesizeLandmarksInsideTheCropAndAProperRotation() {
    // Given
    BodyParams params = MotionGenerator.builder().setSeed(5).build().clip(0).frame(10);
    PoseConditioning c = new PoseConditioning(body, LandmarkNoise.NONE);

    // When
    PoseConditioning.Sample s = c.synthesize(params, new Random(1));

    // Then: landmarks in the (jittered) crop, hips at the world origin, an orthonormal rotation
    assertThat(s.features()).hasSize(PoseConditioning.TOKENS * PoseConditioning.FEATURES);
    int inside = 0;
    for (int k = 0; k < PoseConditioning.TOKENS; k++) {
      inside +=
          Math.abs(s.features()[k * 8]) < 0.5f && Math.abs(s.features()[k * 8 + 1]) < 0.5f ? 1 : 0;
    }
    assertThat(inside).isGreaterThanOrEqualTo(30);
    assertThat(s.features()[23 * 8 + 5] + s.features()[24 * 8 + 5])
        .isCloseTo(0f, org.assertj.core.data.Offset.offset(1e-4f));
    double[] r = new double[9];
    for (int i = 0; i < 9; i++) {
      r[i] = s.rotation()[i];
    }
    double[] identity = Rotations.multiply(Rotations.transpose(r), r);
    assertThat(identity[0]).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(identity[1]).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(s.joints3d()[0]).isZero(); // pelvis-relative
    assertThat(s.canonical().pose()[0]).isZero();
  }

  @Test
  void shouldCentreAboutHalfTheCropsOnTheHipsAsThePoseDetectorsRoiDoes() {
    // Given
    PoseConditioning c = new PoseConditioning(body, LandmarkNoise.NONE);
    var clip = MotionGenerator.builder().setSeed(6).build().clip(0);
    Random random = new Random(2);

    // When: 200 crops
    int centred = 0;
    for (int n = 0; n < 200; n++) {
      float[] f = c.synthesize(clip.frame(n % clip.frameCount()), random).features();
      float hipX = (f[23 * 8] + f[24 * 8]) / 2;
      float hipY = (f[23 * 8 + 1] + f[24 * 8 + 1]) / 2;
      centred += Math.abs(hipX) < 0.03 && Math.abs(hipY) < 0.03 ? 1 : 0;
    }

    // Then: ROI crops (half) put the hips within 0.02 of the centre (1 sigma); square crops
    // around a jittered box do so for about a fifth
    assertThat(centred).isBetween(70, 150);
  }
}
