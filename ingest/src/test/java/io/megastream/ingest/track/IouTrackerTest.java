package io.megastream.ingest.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.megastream.ingest.detect.Boxes;
import io.megastream.proto.Box;
import io.megastream.proto.PersonBox;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IouTrackerTest {

  private static PersonBox person(float x, float y, float w, float h) {
    return PersonBox.newBuilder()
        .setBox(Box.newBuilder().setX(x).setY(y).setWidth(w).setHeight(h))
        .setScore(0.9f)
        .build();
  }

  private static List<Long> ids(List<PersonBox> boxes) {
    return boxes.stream().map(PersonBox::getTrackId).toList();
  }

  @Test
  void shouldKeepTheIdOfABoxMovingSlightly() {
    // Given
    IouTracker tracker = new IouTracker(0.3, 15);
    List<Long> seen = new ArrayList<>();

    // When: 30 frames, 4 px to the right and 1 px down per frame
    for (int f = 0; f < 30; f++) {
      List<PersonBox> out = tracker.update(List.of(person(100 + 4 * f, 80 + f, 60, 150)));
      seen.add(out.get(0).getTrackId());
    }

    // Then
    assertThat(seen).containsOnly(seen.get(0));
  }

  @Test
  void shouldGiveANewBoxANewId() {
    // Given
    IouTracker tracker = new IouTracker(0.3, 15);
    long first = tracker.update(List.of(person(100, 100, 50, 100))).get(0).getTrackId();

    // When
    List<PersonBox> out =
        tracker.update(List.of(person(102, 100, 50, 100), person(400, 120, 50, 100)));

    // Then
    assertThat(out.get(0).getTrackId()).isEqualTo(first);
    assertThat(out.get(1).hasTrackId()).isTrue();
    assertThat(out.get(1).getTrackId()).isNotEqualTo(first);
  }

  @Test
  void shouldReturnTheSameBoxesInTheSameOrderWithTrackIdsSet() {
    // Given
    IouTracker tracker = new IouTracker(0.3, 15);
    List<PersonBox> in = List.of(person(10, 10, 40, 80), person(200, 10, 40, 80));

    // When
    List<PersonBox> out = tracker.update(in);

    // Then
    assertThat(out).hasSize(2);
    for (int i = 0; i < in.size(); i++) {
      assertThat(out.get(i).getBox()).isEqualTo(in.get(i).getBox());
      assertThat(out.get(i).getScore()).isEqualTo(in.get(i).getScore());
      assertThat(out.get(i).hasTrackId()).isTrue();
    }
    assertThat(ids(out)).doesNotHaveDuplicates();
  }

  @Test
  void shouldKeepDistinctIdsForTwoPeopleCrossing() {
    // Given: a far person (small box) walking right and a near one (larger, lower) walking left,
    // passing through each other around frame 10
    IouTracker tracker = new IouTracker(0.3, 15);
    Set<Long> farIds = new HashSet<>();
    Set<Long> nearIds = new HashSet<>();

    // When
    for (int f = 0; f <= 20; f++) {
      PersonBox far = person(10 * f, 100, 50, 100);
      PersonBox near = person(200 - 10 * f, 120, 70, 140);
      // the detector's order (by score) changes from frame to frame
      List<PersonBox> out =
          f % 2 == 0 ? tracker.update(List.of(far, near)) : tracker.update(List.of(near, far));
      PersonBox farOut = f % 2 == 0 ? out.get(0) : out.get(1);
      PersonBox nearOut = f % 2 == 0 ? out.get(1) : out.get(0);
      farIds.add(farOut.getTrackId());
      nearIds.add(nearOut.getTrackId());
    }

    // Then: each person kept one id for all 21 frames, and the two ids differ
    assertThat(farIds).hasSize(1);
    assertThat(nearIds).hasSize(1);
    assertThat(farIds).doesNotContainAnyElementsOf(nearIds);
  }

  @Test
  void shouldForgetATrackUnseenForMaxAgeFrames() {
    // Given
    int maxAge = 3;
    IouTracker tracker = new IouTracker(0.3, maxAge);
    PersonBox box = person(100, 100, 50, 100);
    long id = tracker.update(List.of(box)).get(0).getTrackId();

    // When: unseen for maxAge frames, then back at the same place
    for (int f = 0; f < maxAge; f++) {
      tracker.update(List.of());
    }
    long reappeared = tracker.update(List.of(box)).get(0).getTrackId();

    // Then
    assertThat(reappeared).isNotEqualTo(id);
  }

  @Test
  void shouldKeepATrackUnseenForFewerThanMaxAgeFrames() {
    // Given
    int maxAge = 3;
    IouTracker tracker = new IouTracker(0.3, maxAge);
    PersonBox box = person(100, 100, 50, 100);
    long id = tracker.update(List.of(box)).get(0).getTrackId();

    // When: missed by the detector for maxAge - 1 frames
    for (int f = 0; f < maxAge - 1; f++) {
      tracker.update(List.of());
    }
    long reappeared = tracker.update(List.of(box)).get(0).getTrackId();

    // Then
    assertThat(reappeared).isEqualTo(id);
  }

  @Test
  void shouldNotMatchABoxWhoseOverlapIsBelowMinIou() {
    // Given: IoU of two 100x100 boxes offset by 60 px is 40/160 = 0.25
    IouTracker tracker = new IouTracker(0.3, 15);
    long id = tracker.update(List.of(person(0, 0, 100, 100))).get(0).getTrackId();

    // When
    long next = tracker.update(List.of(person(60, 0, 100, 100))).get(0).getTrackId();

    // Then
    assertThat(Boxes.iou(box(0, 0, 100, 100), box(60, 0, 100, 100))).isCloseTo(0.25, within(1e-9));
    assertThat(next).isNotEqualTo(id);
  }

  @Test
  void shouldComputeIntersectionOverUnion() {
    assertThat(Boxes.iou(box(0, 0, 10, 10), box(0, 0, 10, 10))).isEqualTo(1.0);
    assertThat(Boxes.iou(box(0, 0, 10, 10), box(5, 0, 10, 10)))
        .isCloseTo(50.0 / 150.0, within(1e-9));
    assertThat(Boxes.iou(box(0, 0, 10, 10), box(20, 20, 10, 10))).isZero();
    assertThat(Boxes.iou(box(0, 0, 0, 0), box(0, 0, 0, 0))).isZero();
  }

  private static Box box(float x, float y, float w, float h) {
    return Box.newBuilder().setX(x).setY(y).setWidth(w).setHeight(h).build();
  }
}
