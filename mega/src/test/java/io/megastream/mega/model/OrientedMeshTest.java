package io.megastream.mega.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.Rotations;
import io.megastream.mega.body.SkinnedBodyModel;
import org.junit.jupiter.api.Test;

class OrientedMeshTest {

  @Test
  void shouldTurnAboutThePelvisAndProjectWithTheWeakPerspectiveCamera() {
    // Given: a rest body, a half turn about the vertical axis, scale 0.4, shift (0.1, -0.05)
    SkinnedBodyModel body = ProceduralBody.build();
    float[] canonical = body.forward(BodyParams.rest(body.shapeCount())).vertices();
    double[] sixD = Rotations.to6d(Rotations.fromAxisAngle(0, Math.PI, 0));
    float[] rotCam = new float[9];
    for (int i = 0; i < 6; i++) {
      rotCam[i] = (float) sixD[i];
    }
    rotCam[6] = 0.4f;
    rotCam[7] = 0.1f;
    rotCam[8] = -0.05f;

    // When
    OrientedMesh m = OrientedMesh.of(body, canonical, rotCam);

    // Then: pelvis at the origin, left and right swapped in x, 2D = s·xy + t + 0.5
    assertThat(m.joints()[0]).isCloseTo(0f, within(1e-5f));
    float[] rest = body.regressJoints(canonical);
    int hand = io.megastream.mega.body.Joint.LEFT_WRIST.ordinal() * 3;
    assertThat(m.joints()[hand]).isCloseTo(-(rest[hand] - rest[0]), within(1e-4f));
    assertThat(m.joints2d()[hand / 3 * 2])
        .isCloseTo(0.4f * m.joints()[hand] + 0.1f + 0.5f, within(1e-6f));
    assertThat(m.joints2d()[hand / 3 * 2 + 1])
        .isCloseTo(0.4f * m.joints()[hand + 1] - 0.05f + 0.5f, within(1e-6f));
  }
}
