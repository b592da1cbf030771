package io.megastream.mega.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.Joint;
import io.megastream.mega.body.Landmarks;
import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.SkinnedBodyModel;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SceneRendererTest {

  static SkinnedBodyModel body;

  @BeforeAll
  static void build() {
    body = ProceduralBody.build();
  }

  static SceneRenderer.Person person(double x, double z, double heading, long outfit) {
    return new SceneRenderer.Person(
        BodyParams.rest(body.shapeCount())
            .withJoint(Joint.LEFT_SHOULDER, 0, 0, -1.2)
            .withJoint(Joint.RIGHT_SHOULDER, 0, 0, 1.2),
        x,
        z,
        heading,
        Clothing.dress(body, outfit));
  }

  @Test
  void shouldLabelAFrontFacingPersonWithABoxAroundItsJointsAndVisibleFace() {
    // Given
    SceneRenderer r = new SceneRenderer(body, 320, 240);
    Camera cam = Camera.lookAt(new double[] {0, 1.0, 4}, new double[] {0, 0.9, 0}, 300, 320, 240);

    // When
    SceneRenderer.Frame f =
        r.render(
            List.of(person(0, 0, 0, 1)),
            List.of(),
            cam,
            Backgrounds.random(320, 240, 1),
            new double[] {0, -1, -1});

    // Then
    SceneRenderer.PersonTruth t = f.persons().get(0);
    float[] box = t.box();
    assertThat(box[2]).isGreaterThan(20);
    assertThat(box[3]).isGreaterThan(box[2]); // a standing person is taller than wide
    for (int k = 0; k < Joint.COUNT; k++) {
      assertThat(t.joints2d()[k * 2]).isBetween(box[0] - 2, box[0] + box[2] + 2);
      assertThat(t.joints2d()[k * 2 + 1]).isBetween(box[1] - 2, box[1] + box[3] + 2);
    }
    assertThat(t.landmarkVisible()[Landmarks.NAMES.indexOf("nose")]).isTrue();
    assertThat(t.occlusion()).isZero();
    // the person's left is on the image's right when it faces the camera
    assertThat(t.joints2d()[Joint.LEFT_WRIST.ordinal() * 2])
        .isGreaterThan(t.joints2d()[Joint.RIGHT_WRIST.ordinal() * 2]);
  }

  @Test
  void shouldHideTheFaceOfAPersonFacingAwayAndMeasureOcclusionByABox() {
    // Given: one person turned away, another behind a box
    SceneRenderer r = new SceneRenderer(body, 320, 240);
    Camera cam = Camera.lookAt(new double[] {0, 1.2, 5}, new double[] {0, 0.9, 0}, 300, 320, 240);
    List<SceneRenderer.Occluder> box =
        List.of(new SceneRenderer.Occluder(1, 1.2, 0.8, 1.0, 0.2, new float[] {0.3f, 0.3f, 0.3f}));

    // When
    SceneRenderer.Frame f =
        r.render(
            List.of(person(-1, 0, Math.PI, 1), person(1, 0, 0, 2)),
            box,
            cam,
            Backgrounds.random(320, 240, 2),
            new double[] {0, -1, -1});

    // Then
    assertThat(f.persons().get(0).landmarkVisible()[Landmarks.NAMES.indexOf("nose")]).isFalse();
    assertThat(f.persons().get(0).occlusion()).isLessThan(0.05);
    assertThat(f.persons().get(1).occlusion()).isBetween(0.2, 0.8);
  }
}
