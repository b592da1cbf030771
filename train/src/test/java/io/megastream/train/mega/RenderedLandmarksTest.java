package io.megastream.train.mega;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.pose.BlazePose;
import io.megastream.mega.pose.PoseConditioning;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderedLandmarksTest {

  private static final SkinnedBodyModel BODY = ProceduralBody.build();

  @Test
  void shouldCacheRenderedPeopleAndExtendTheCacheWithoutRenderingThemAgain(@TempDir Path dir)
      throws Exception {
    // Given
    Path cache = dir.resolve("people.bin");
    List<RenderedLandmarks.Person> first =
        RenderedLandmarks.load(cache, BODY, 3, 11, 0.7, BlazePose.Variant.LITE);

    // When
    List<RenderedLandmarks.Person> again =
        RenderedLandmarks.load(cache, BODY, 3, 11, 0.7, BlazePose.Variant.LITE);
    List<RenderedLandmarks.Person> more =
        RenderedLandmarks.load(cache, BODY, 5, 11, 0.7, BlazePose.Variant.LITE);

    // Then: the cache gives back exactly what was rendered, and grows by new people
    assertThat(first).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(again.get(i).features()).containsExactly(first.get(i).features());
      assertThat(more.get(i).params().pose()).containsExactly(first.get(i).params().pose());
    }
    assertThat(more).hasSize(5);
    assertThat(RenderedLandmarks.read(cache)).hasSize(5);
    assertThat(more.get(3).params().pose()).isNotEqualTo(first.get(0).params().pose());
    for (RenderedLandmarks.Person p : more) {
      assertThat(p.features()).hasSize(PoseConditioning.TOKENS * PoseConditioning.FEATURES);
      // BlazePose saw a person: the landmarks' presence is high somewhere
      float presence = 0;
      for (int k = 0; k < PoseConditioning.TOKENS; k++) {
        presence = Math.max(presence, p.features()[k * PoseConditioning.FEATURES + 4]);
      }
      assertThat(presence).isGreaterThan(0.5f);
      // a rotation matrix: orthonormal rows
      float[] r = p.rotation();
      for (int a = 0; a < 3; a++) {
        double n = r[a * 3] * r[a * 3] + r[a * 3 + 1] * r[a * 3 + 1] + r[a * 3 + 2] * r[a * 3 + 2];
        assertThat(n).isBetween(0.99, 1.01);
      }
      // the true joints lie in (or near) the crop
      for (float j : p.joints2d()) {
        assertThat(j).isBetween(-0.8f, 0.8f);
      }
    }
  }
}
