package io.megastream.pose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The pose detector's body boxes and how it merges the persons of its views (frame and tiles). */
class CrossViewMergeTest {

  /** An upright person with hips at (x, y) and a circle of radius r. */
  private static PoseRoi upright(double x, double y, double r, float score) {
    return new PoseRoi(x, y, 2 * r * PoseRoi.SCALE, 0, score);
  }

  @Test
  void shouldPutTheBodyBoxBelowTheHipsAndRotateItWithTheRoi() {
    // Given: r = 100
    PoseRoi up = upright(500, 400, 100, 0.9f);
    PoseRoi lying = new PoseRoi(500, 400, 250, Math.PI / 2, 0.9f); // head to the right

    // When
    double[] a = up.bodyBounds();
    double[] b = lying.bodyBounds();

    // Then: 2.2 r tall, 0.78 r wide, centred 0.09 r below the hips
    assertThat(a).containsExactly(new double[] {461, 299, 78, 220}, within(1e-9));
    // rotated by 90 degrees: as wide as the upright one is tall, "below" is to the left
    assertThat(b[2]).isCloseTo(220, within(1e-9));
    assertThat(b[3]).isCloseTo(78, within(1e-9));
    assertThat(b[0] + b[2] / 2).isCloseTo(500 - 9, within(1e-9));
    assertThat(b[1] + b[3] / 2).isCloseTo(400, within(1e-9));
  }

  @Test
  void shouldMergeOnePersonSeenInTwoViewsIntoTheirScoreWeightedMean() {
    // Given: one person seen by the frame and a tile, 6 px apart, and another person far away
    PoseRoi frame = upright(200, 300, 100, 0.6f);
    PoseRoi tile = upright(206, 300, 100, 0.9f);
    PoseRoi other = upright(600, 300, 100, 0.7f);

    // When
    List<PoseRoi> merged = PoseDetector.mergeViews(List.of(frame, other, tile), 0.4, 10);

    // Then: best first; the merged one sits at the weighted mean and keeps the best score
    assertThat(merged).hasSize(2);
    assertThat(merged.get(0).centerX()).isCloseTo((0.6 * 200 + 0.9 * 206) / 1.5, within(1e-4));
    assertThat(merged.get(0).score()).isEqualTo(0.9f);
    assertThat(merged.get(1)).isEqualTo(other);
  }

  @Test
  void shouldDropAWideLowScoreBoxThatSpansABetterPersonAndTheirNeighbour() {
    // Given: one pedestrian (score 0.92), the neighbour they walk beside (0.65), and the pair read
    // as one wide, tilted body (0.73) whose box holds the first: vtest.avi frame 100
    PoseRoi one = upright(391, 222, 45, 0.92f);
    PoseRoi neighbour = upright(360, 236, 42, 0.65f);
    PoseRoi pair = new PoseRoi(376, 229, 142, Math.toRadians(19.4), 0.73f);

    // When
    List<PoseRoi> merged = PoseDetector.mergeViews(List.of(pair, neighbour, one), 0.4, 10);

    // Then: the pair's box is gone, both people keep their own
    assertThat(merged).containsExactly(one, neighbour);
  }

  @Test
  void shouldDropAPartOfAPersonSeenInATileButKeepTwoPeopleSideBySide() {
    // Given: a whole person, their upper body as a tile saw it (inside the whole one's box), and
    // a neighbour overlapping the first by a third of their width
    PoseRoi whole = upright(300, 300, 100, 0.9f); // box x 261-339, y 199-419
    PoseRoi part = upright(300, 250, 40, 0.7f); // box x 284-316, y 209-297
    PoseRoi neighbour = upright(352, 300, 100, 0.8f);

    // When
    List<PoseRoi> merged = PoseDetector.mergeViews(List.of(part, neighbour, whole), 0.4, 10);

    // Then
    assertThat(merged).containsExactly(whole, neighbour);
  }

  @Test
  void shouldRefuseToAverageNothing() {
    assertThatThrownBy(() -> PoseRoi.mean(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no ROIs");
  }
}
