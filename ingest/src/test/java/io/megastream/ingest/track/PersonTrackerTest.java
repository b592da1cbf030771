package io.megastream.ingest.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.megastream.ingest.detect.Boxes;
import io.megastream.proto.Box;
import io.megastream.proto.PersonBox;
import io.megastream.proto.Roi;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PersonTrackerTest {

  private static PersonBox person(float x, float y, float w, float h) {
    return PersonBox.newBuilder()
        .setBox(Box.newBuilder().setX(x).setY(y).setWidth(w).setHeight(h))
        .setScore(0.9f)
        .build();
  }

  private static PersonTracker tracker(int maxAge) {
    return new PersonTracker(new PersonTracker.Options(0.3, 0.5, maxAge));
  }

  private static PersonBox withRoi(PersonBox p, float cx, float cy, float side) {
    return p.toBuilder()
        .setRoi(Roi.newBuilder().setCenterX(cx).setCenterY(cy).setSide(side))
        .build();
  }

  private static List<Long> ids(List<PersonBox> boxes) {
    return boxes.stream().map(PersonBox::getTrackId).toList();
  }

  @Test
  void shouldKeepTheIdOfABoxMovingSlightly() {
    // Given
    PersonTracker tracker = tracker(15);
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
    PersonTracker tracker = tracker(15);
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
    PersonTracker tracker = tracker(15);
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
    PersonTracker tracker = tracker(15);
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
    PersonTracker tracker = tracker(maxAge);
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
    PersonTracker tracker = tracker(maxAge);
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
    PersonTracker tracker = tracker(15);
    long id = tracker.update(List.of(person(0, 0, 100, 100))).get(0).getTrackId();

    // When
    long next = tracker.update(List.of(person(60, 0, 100, 100))).get(0).getTrackId();

    // Then
    assertThat(Boxes.iou(box(0, 0, 100, 100), box(60, 0, 100, 100))).isCloseTo(0.25, within(1e-9));
    assertThat(next).isNotEqualTo(id);
  }

  @Test
  void shouldGiveATrackToTheBoxThatFitsItBestNotTheFirstThatFits() {
    // Given
    PersonTracker tracker = tracker(15);
    long id = tracker.update(List.of(person(100, 100, 50, 100))).get(0).getTrackId();

    // When: the detector lists a box overlapping it by 0.43 before the one overlapping it by 0.9
    List<PersonBox> out =
        tracker.update(List.of(person(120, 100, 50, 100), person(102, 100, 50, 100)));

    // Then
    assertThat(Boxes.iou(box(100, 100, 50, 100), box(120, 100, 50, 100)))
        .isCloseTo(30.0 / 70.0, within(1e-9));
    assertThat(out.get(1).getTrackId()).isEqualTo(id);
    assertThat(out.get(0).getTrackId()).isNotEqualTo(id);
  }

  @Test
  void shouldFindAFastPersonWhereItsVelocityPutsItAfterMissedFrames() {
    // Given: a person moving 20 px per frame (consecutive boxes overlap by 0.43)
    PersonTracker tracker = tracker(15);
    long id = 0;
    for (int f = 0; f < 5; f++) {
      id = tracker.update(List.of(person(100 + 20 * f, 100, 50, 100))).get(0).getTrackId();
    }

    // When: missed for two frames, then found 60 px on, where its last box no longer overlaps
    tracker.update(List.of());
    tracker.update(List.of());
    long found = tracker.update(List.of(person(100 + 20 * 7, 100, 50, 100))).get(0).getTrackId();

    // Then
    assertThat(Boxes.iou(box(180, 100, 50, 100), box(240, 100, 50, 100))).isZero();
    assertThat(found).isEqualTo(id);
  }

  @Test
  void shouldMatchByTheLandmarkRoiWhenTheBoxChangesShape() {
    // Given: a standing person's box, with the detector's ROI on the hips
    PersonTracker tracker = tracker(15);
    long id =
        tracker
            .update(List.of(withRoi(person(100, 100, 50, 200), 125, 200, 250)))
            .get(0)
            .getTrackId();

    // When: they squat: the box gets half as tall and twice as wide (IoU 0.29), the hips stay
    PersonBox squat = withRoi(person(80, 215, 95, 95), 127, 205, 230);
    PersonBox squatWithoutRoi = squat.toBuilder().clearRoi().build();
    PersonTracker boxesOnly = tracker(15);
    long boxOnlyId = boxesOnly.update(List.of(person(100, 100, 50, 200))).get(0).getTrackId();

    // Then: the ROI keeps the id; the box alone cannot
    assertThat(Boxes.iou(box(100, 100, 50, 200), squat.getBox())).isLessThan(0.3);
    assertThat(tracker.update(List.of(squat)).get(0).getTrackId()).isEqualTo(id);
    assertThat(boxesOnly.update(List.of(squatWithoutRoi)).get(0).getTrackId())
        .isNotEqualTo(boxOnlyId);
  }

  @Test
  void shouldNotMatchRoisOfVeryDifferentSize() {
    // Given
    PersonTracker tracker = tracker(15);
    long id =
        tracker
            .update(List.of(withRoi(person(100, 100, 20, 40), 110, 120, 50)))
            .get(0)
            .getTrackId();

    // When: a person twice as large at the same hips, boxes barely overlapping
    long next =
        tracker.update(List.of(withRoi(person(90, 70, 40, 80), 110, 120, 100))).get(0).getTrackId();

    // Then
    assertThat(Boxes.iou(box(100, 100, 20, 40), box(90, 70, 40, 80))).isLessThan(0.3);
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
