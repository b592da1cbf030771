package io.megastream.mega.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.megastream.mega.body.Rotations;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProcrustesTest {

  @Test
  void shouldUndoARotationScaleAndShiftExactly() {
    // Given: y = 1.3 R x + t for a random rotation
    Random r = new Random(4);
    double[][] x = new double[14][3];
    double[][] y = new double[14][3];
    double[] rot = Rotations.fromAxisAngle(0.4, -1.1, 0.7);
    for (int i = 0; i < 14; i++) {
      for (int a = 0; a < 3; a++) {
        x[i][a] = r.nextGaussian();
      }
      for (int a = 0; a < 3; a++) {
        double v = 0;
        for (int b = 0; b < 3; b++) {
          v += rot[a * 3 + b] * x[i][b];
        }
        y[i][a] = 1.3 * v + (a + 1) * 0.5;
      }
    }

    // When
    double[][] aligned = Procrustes.align(x, y);

    // Then
    for (int i = 0; i < 14; i++) {
      for (int a = 0; a < 3; a++) {
        assertThat(aligned[i][a]).isCloseTo(y[i][a], within(1e-9));
      }
    }
  }

  @Test
  void shouldLeaveOnlyTheNonRigidPartOfAnError() {
    // Given: y is x with one point moved 1 unit
    double[][] x = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    double[][] y = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 2}};

    // When
    double[][] aligned = Procrustes.align(x, y);

    // Then: least squares: the squared error falls below the unaligned 1.0 but not to zero
    double sse = 0;
    for (int i = 0; i < 4; i++) {
      for (int a = 0; a < 3; a++) {
        sse += Math.pow(aligned[i][a] - y[i][a], 2);
      }
    }
    assertThat(sse).isLessThan(1.0).isGreaterThan(0.1);
  }
}
