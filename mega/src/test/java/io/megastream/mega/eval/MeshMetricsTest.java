package io.megastream.mega.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.Rotations;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.motion.MotionGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MeshMetricsTest {

  private static SkinnedBodyModel body;
  private static float[] mesh;

  @BeforeAll
  static void setUp() {
    body = ProceduralBody.build();
    BodyParams p = MotionGenerator.builder().setSeed(3).build().clip(1).frame(5).canonical();
    mesh = body.forward(p).vertices();
  }

  @Test
  void shouldIgnoreATranslationButNotARotation() {
    // Given
    float[] shifted = mesh.clone();
    for (int i = 0; i < shifted.length; i += 3) {
      shifted[i] += 0.3f;
    }
    float[] turned = transform(mesh, Rotations.fromAxisAngle(0, 0.5, 0), 1);

    // Then
    MeshMetrics m = new MeshMetrics(body);
    assertThat(m.pve(shifted, mesh)).isCloseTo(0, within(1e-3));
    assertThat(m.mpjpe(shifted, mesh)).isCloseTo(0, within(1e-3));
    assertThat(m.pve(turned, mesh)).isGreaterThan(50);
    assertThat(m.mpjpe(turned, mesh)).isGreaterThan(50);
  }

  @Test
  void shouldAlignRotationAndScaleAwayInPaMpjpe() {
    float[] moved = transform(mesh, Rotations.fromAxisAngle(0.3, 1.0, -0.2), 1.2);

    assertThat(new MeshMetrics(body).paMpjpe(moved, mesh)).isCloseTo(0, within(0.01));
  }

  @Test
  void shouldCorrelatePerfectlyWithItselfAndMeasureRotationAngles() {
    double[] a = {1, 2, 3, 5};
    assertThat(MegaEvaluation.pearson(a, a)).isCloseTo(1, within(1e-12));
    assertThat(MegaEvaluation.pearson(a, new double[] {4, 3, 2, 0})).isCloseTo(-1, within(0.05));
    assertThat(
            Rotations.angleDeg(
                Rotations.fromAxisAngle(0, 0, 0), Rotations.fromAxisAngle(0, Math.PI / 2, 0)))
        .isCloseTo(90, within(1e-9));
  }

  private static float[] transform(float[] v, double[] r, double scale) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i += 3) {
      for (int a = 0; a < 3; a++) {
        out[i + a] =
            (float) (scale * (r[a * 3] * v[i] + r[a * 3 + 1] * v[i + 1] + r[a * 3 + 2] * v[i + 2]));
      }
    }
    return out;
  }
}
