package io.megastream.mega.pose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.Rotations;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.eval.MeshMetrics;
import io.megastream.mega.motion.MotionClip;
import io.megastream.mega.motion.MotionGenerator;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LandmarkFitTest {

  private static SkinnedBodyModel body;

  @BeforeAll
  static void body() {
    body = ProceduralBody.build();
  }

  @Test
  void shouldRecoverRotationPoseAndShapeFromExactLandmarksFarBetterThanTheMeanBody() {
    // Given: held-out motion, each body turned by a random camera rotation, its exact landmarks
    MotionGenerator gen = MotionGenerator.builder().setSeed(77).optSubjects(8).build();
    LandmarkFit fit = new LandmarkFit(body);
    MeshMetrics metrics = new MeshMetrics(body);
    Random random = new Random(3);
    double fitPve = 0;
    double meanPve = 0;
    double rotationDeg = 0;
    int n = 0;
    for (int c = 0; c < 8; c++) {
      MotionClip clip = gen.clip(c);
      for (int f = 0; f < clip.frameCount(); f += 37) {
        BodyParams truth = clip.frame(f).canonical();
        double[] rotation =
            Rotations.fromAxisAngle(
                random.nextGaussian(), random.nextGaussian(), random.nextGaussian());
        float[] canonical = body.forward(truth).vertices();
        float[] world = Rotations.rotate(body.landmarks().positions(canonical), rotation);

        // When
        LandmarkFit.Fit result = fit.fit(world);

        // Then (accumulated)
        float[] fitted = body.forward(result.canonical()).vertices();
        fitPve += metrics.pve(fitted, canonical);
        meanPve +=
            metrics.pve(
                body.forward(new BodyParams(new double[72], new double[10], new double[3]))
                    .vertices(),
                canonical);
        rotationDeg += Rotations.angleDeg(result.rotation(), rotation);
        n++;
      }
    }
    System.out.printf(
        "FIT n=%d rot=%.2f fit=%.1f mean=%.1f%n", n, rotationDeg / n, fitPve / n, meanPve / n);
    assertThat(n).isGreaterThanOrEqualTo(16);
    assertThat(rotationDeg / n).as("mean rotation error, degrees").isLessThan(10);
    assertThat(fitPve / n).as("fit PVE, mm").isLessThan(0.5 * meanPve / n);
  }

  @Test
  void shouldRejectTheWrongNumberOfLandmarks() {
    assertThatThrownBy(() -> new LandmarkFit(body).fit(new float[12]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("99");
  }
}
