package io.megastream.mega.pose;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.Rotations;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.motion.MotionClip;
import io.megastream.mega.motion.MotionGenerator;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PoseFrameTest {

  private static SkinnedBodyModel body;

  @BeforeAll
  static void body() {
    body = ProceduralBody.build();
  }

  @Test
  void shouldFindTheBodyRotationFromTheTorsoAndTurnTheLandmarksIntoIt() {
    // Given: held-out motion seen by random cameras, exact landmarks
    PoseConditioning conditioning = new PoseConditioning(body, LandmarkNoise.NONE);
    MotionGenerator gen = MotionGenerator.builder().setSeed(91).optSubjects(6).build();
    Random random = new Random(5);
    TorsoRotation torso = new TorsoRotation(body);
    double error = 0;
    int n = 0;
    for (int c = 0; c < 6; c++) {
      MotionClip clip = gen.clip(c);
      for (int f = 0; f < clip.frameCount(); f += 41) {
        PoseConditioning.Sample s = conditioning.synthesize(clip.frame(f), random);

        // When
        double[] frame = PoseFrame.of(s.features());
        float[] world = PoseConditioning.world(PoseFrame.canonicalise(s.features(), frame));

        // Then: in the torso's frame the left shoulder is up and to the body's left
        assertThat(world[11 * 3]).isPositive();
        assertThat(world[11 * 3 + 1]).isPositive();
        assertThat(world[12 * 3]).isNegative();
        error += Rotations.angleDeg(frame, Rotations.toDouble(s.rotation()));
        // the fixed reference torso is the body model's own, to the millimetre
        assertThat(Rotations.angleDeg(frame, torso.fromFeatures(s.features()))).isLessThan(0.5);
        n++;
      }
    }
    // the torso frame is the pelvis' rotation up to the spine's bend
    assertThat(n).isGreaterThanOrEqualTo(12);
    assertThat(error / n).as("mean angle to the true rotation, degrees").isLessThan(15);
  }

  @Test
  void shouldTurnARotationPredictedInTheFrameIntoTheCamera() {
    double[] frame = Rotations.fromAxisAngle(0.3, -1.2, 0.5);
    double[] local = Rotations.fromAxisAngle(-0.2, 0.1, 0.4);
    float[] sixD = new float[6];
    double[] d = Rotations.to6d(local);
    for (int i = 0; i < 6; i++) {
      sixD[i] = (float) d[i];
    }
    double[] back = new double[6];
    float[] turned = PoseFrame.toCamera(sixD, frame);
    for (int i = 0; i < 6; i++) {
      back[i] = turned[i];
    }
    assertThat(Rotations.angleDeg(Rotations.from6d(back), Rotations.multiply(frame, local)))
        .isLessThan(1e-3);
  }
}
