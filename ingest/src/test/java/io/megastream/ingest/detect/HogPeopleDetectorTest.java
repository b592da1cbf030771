package io.megastream.ingest.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.megastream.ingest.CameraSpec;
import io.megastream.ingest.source.GrabbedImage;
import io.megastream.ingest.source.VideoSource;
import io.megastream.proto.Box;
import io.megastream.proto.PersonBox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class HogPeopleDetectorTest {

  /** A real pedestrian clip (768x576) from Debian's opencv-doc package. */
  private static final Path VTEST = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");

  private static final float EPS = 1e-3f;

  private static PersonBox person(float x, float y, float w, float h, float score) {
    return PersonBox.newBuilder()
        .setBox(Box.newBuilder().setX(x).setY(y).setWidth(w).setHeight(h))
        .setScore(score)
        .build();
  }

  private static Box box(float x, float y, float w, float h) {
    return Box.newBuilder().setX(x).setY(y).setWidth(w).setHeight(h).build();
  }

  @Test
  void shouldKeepTheBestOfNestedBoxesAndEveryDisjointOne() {
    // Given: HOG's typical output, sorted best first: a person, a nested box inside it, and a
    // second person elsewhere
    PersonBox person = person(100, 50, 80, 160, 2.0f);
    PersonBox nested = person(110, 60, 60, 120, 1.0f);
    PersonBox other = person(400, 50, 80, 160, 0.5f);

    // When
    List<PersonBox> kept = HogPeopleDetector.suppressOverlaps(List.of(person, nested, other), 0.6);

    // Then
    assertThat(kept).containsExactly(person, other);
  }

  @Test
  void shouldDropALargerBoxThatContainsABetterSmallerOne() {
    // Given: the better-scored box is the smaller one
    PersonBox tight = person(110, 60, 60, 120, 2.0f);
    PersonBox loose = person(80, 20, 140, 260, 0.8f);

    // When
    List<PersonBox> kept = HogPeopleDetector.suppressOverlaps(List.of(tight, loose), 0.6);

    // Then
    assertThat(kept).containsExactly(tight);
  }

  @Test
  void shouldKeepBoxesThatOverlapLessThanTheLimit() {
    // Given: two people side by side whose boxes share half of the smaller one
    PersonBox left = person(0, 0, 100, 200, 1.5f);
    PersonBox right = person(50, 0, 100, 200, 1.0f);

    // When
    List<PersonBox> kept = HogPeopleDetector.suppressOverlaps(List.of(left, right), 0.6);

    // Then
    assertThat(HogPeopleDetector.overlapOfSmaller(left.getBox(), right.getBox()))
        .isCloseTo(0.5, within(1e-9));
    assertThat(kept).containsExactly(left, right);
  }

  @Test
  void shouldMeasureOverlapAsAFractionOfTheSmallerBox() {
    assertThat(HogPeopleDetector.overlapOfSmaller(box(0, 0, 100, 100), box(10, 10, 20, 20)))
        .isEqualTo(1.0);
    assertThat(HogPeopleDetector.overlapOfSmaller(box(10, 10, 20, 20), box(0, 0, 100, 100)))
        .isEqualTo(1.0);
    assertThat(HogPeopleDetector.overlapOfSmaller(box(0, 0, 10, 10), box(20, 0, 10, 10))).isZero();
    assertThat(HogPeopleDetector.overlapOfSmaller(box(0, 0, 10, 10), box(5, 5, 0, 0))).isZero();
  }

  @Test
  void shouldFindNobodyInAUniformImage() {
    // Given
    PersonDetector hog = Detectors.create("hog");
    try (Mat blank = new Mat(480, 640, opencv_core.CV_8UC3, new Scalar(128, 128, 128, 0))) {

      // When
      List<PersonBox> found = hog.detect(blank);

      // Then
      assertThat(found).isEmpty();
    }
  }

  @Test
  void shouldFindPeopleInMostFramesOfARealPedestrianClip() throws Exception {
    // Given: every 20th of the first 400 frames of OpenCV's vtest.avi (people in nearly all)
    Assumptions.assumeTrue(
        Files.isRegularFile(VTEST), "needs " + VTEST + " (Debian package opencv-doc)");
    PersonDetector hog = Detectors.create("hog");
    int sampled = 0;
    int withPeople = 0;

    // When
    try (VideoSource source =
        new VideoSource(new CameraSpec("vtest", VTEST.toString()), Duration.ofSeconds(10))) {
      source.open();
      for (int i = 0; i < 400; i++) {
        GrabbedImage image = source.grab();
        assertThat(image).as("frame %d", i).isNotNull();
        if (i % 20 != 0) {
          continue;
        }
        Mat bgr = image.bgr();
        List<PersonBox> found = hog.detect(bgr);
        sampled++;
        if (!found.isEmpty()) {
          withPeople++;
        }

        // Then: every box lies inside the full-size frame, best first, above the score floor
        for (PersonBox p : found) {
          Box b = p.getBox();
          assertThat(b.getX()).as("frame %d x", i).isGreaterThanOrEqualTo(0f);
          assertThat(b.getY()).as("frame %d y", i).isGreaterThanOrEqualTo(0f);
          assertThat(b.getWidth()).as("frame %d width", i).isGreaterThan(16f);
          assertThat(b.getHeight()).as("frame %d height", i).isGreaterThan(b.getWidth());
          assertThat(b.getX() + b.getWidth()).isLessThanOrEqualTo(bgr.cols() + EPS);
          assertThat(b.getY() + b.getHeight()).isLessThanOrEqualTo(bgr.rows() + EPS);
          assertThat(p.getScore()).isGreaterThanOrEqualTo(0.3f);
        }
        assertThat(found)
            .extracting(PersonBox::getScore)
            .isSortedAccordingTo((a, b) -> Float.compare(b, a));
      }
    }

    // Then: people in most sampled frames (measured here: 15 of 20)
    assertThat(sampled).isEqualTo(20);
    assertThat(withPeople).isGreaterThan(sampled / 2);
  }

  @Test
  void shouldReturnOneBoxCoveringTheWholeFrameFromTheFullFrameDetector() {
    // Given
    PersonDetector detector = Detectors.create("full-frame");
    try (Mat image = new Mat(240, 320, opencv_core.CV_8UC3, new Scalar(0, 0, 0, 0))) {

      // When
      List<PersonBox> found = detector.detect(image);

      // Then
      assertThat(found).hasSize(1);
      Box b = found.get(0).getBox();
      assertThat(b).isEqualTo(box(0, 0, 320, 240));
      assertThat(found.get(0).getScore()).isEqualTo(1f);
      assertThat(found.get(0).hasTrackId()).isFalse();
    }
  }

  @Test
  void shouldCreateEveryNamedDetectorUnderItsName() {
    for (String name : Detectors.NAMES) {
      assertThat(Detectors.create(name).name()).isEqualTo(name);
    }
    assertThatThrownBy(() -> Detectors.create("yolo"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("yolo");
  }
}
