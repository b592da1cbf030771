package io.megastream.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.megastream.ingest.CameraSpec;
import io.megastream.ingest.clip.SyntheticClip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class VideoSourceTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final int FRAMES = 48;

  @TempDir static Path dir;
  static Path clip;

  @BeforeAll
  static void writeClip() throws Exception {
    clip = dir.resolve("clip.mp4");
    SyntheticClip.builder().optSize(320, 240).optFrames(FRAMES).build().write(clip);
  }

  private static VideoSource source(Path file) {
    return new VideoSource(new CameraSpec("cam7", file.toString()), TIMEOUT);
  }

  private static int countFrames(VideoSource source) throws CorruptFrameException {
    int n = 0;
    while (source.grab() != null) {
      n++;
    }
    return n;
  }

  @Test
  void shouldNameTheCameraAndThePathWhenTheFileIsMissing() throws Exception {
    // Given
    Path missing = dir.resolve("no-such-clip.mp4");

    // When / Then
    try (VideoSource source = source(missing)) {
      assertThatThrownBy(source::open)
          .isInstanceOf(SourceUnavailableException.class)
          .hasMessageContaining("cam7")
          .hasMessageContaining(missing.toAbsolutePath().toString());
    }
  }

  @Test
  void shouldTreatADirectoryAsAMissingFile() throws Exception {
    try (VideoSource source = source(dir)) {
      assertThatThrownBy(source::open)
          .isInstanceOf(SourceUnavailableException.class)
          .hasMessageContaining("no such video file");
    }
  }

  @Test
  void shouldRefuseAFileOfGarbageBytes() throws Exception {
    // Given
    byte[] garbage = new byte[100_000];
    new Random(3).nextBytes(garbage);
    Path file = Files.write(dir.resolve("garbage.mp4"), garbage);

    // When / Then
    try (VideoSource source = source(file)) {
      assertThatThrownBy(source::open)
          .isInstanceOf(SourceUnavailableException.class)
          .hasMessageContaining("cam7")
          .hasMessageContaining("cannot open " + file);
      assertThatThrownBy(source::grab).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void shouldRefuseAnEmptyFile() throws Exception {
    // Given
    Path file = Files.write(dir.resolve("empty.mp4"), new byte[0]);

    // When / Then
    try (VideoSource source = source(file)) {
      assertThatThrownBy(source::open).isInstanceOf(SourceUnavailableException.class);
    }
  }

  @ParameterizedTest(name = "first {0}% of the file")
  @ValueSource(ints = {30, 60, 90})
  void shouldRefuseATruncatedMp4AtOpenBecauseItsIndexIsAtTheEnd(int percent) throws Exception {
    // Given: the recorder writes the moov index after the media data (no fast start), so a cut
    // file has frames but no index
    byte[] whole = Files.readAllBytes(clip);
    Path file =
        Files.write(
            dir.resolve("truncated-" + percent + ".mp4"),
            Arrays.copyOf(whole, whole.length * percent / 100));

    // When / Then
    try (VideoSource source = source(file)) {
      assertThatThrownBy(source::open)
          .isInstanceOf(SourceUnavailableException.class)
          .hasMessageContaining("cannot open " + file);
    }
  }

  @Test
  void shouldReadEveryFrameOfAFile() throws Exception {
    try (VideoSource source = source(clip)) {
      // When
      source.open();

      // Then
      assertThat(source.declaredFrames()).isEqualTo(FRAMES);
      assertThat(countFrames(source)).isEqualTo(FRAMES);
      assertThat(source.grab()).as("still at the end").isNull();
    }
  }

  @Test
  void shouldOpenAFileGivenWithTheFileScheme() throws Exception {
    try (VideoSource source = new VideoSource(new CameraSpec("cam7", "file:" + clip), TIMEOUT)) {
      // When
      source.open();

      // Then
      GrabbedImage first = source.grab();
      assertThat(first).isNotNull();
      assertThat(first.bgr().cols()).isEqualTo(320);
      assertThat(first.bgr().rows()).isEqualTo(240);
      assertThat(first.streamTimeUs()).isZero();
    }
  }

  @Test
  void shouldStartAgainFromTheFirstFrameWhenReopened() throws Exception {
    try (VideoSource source = source(clip)) {
      // Given
      source.open();
      for (int i = 0; i < 10; i++) {
        source.grab();
      }

      // When
      source.open();

      // Then
      assertThat(source.grab().streamTimeUs()).isZero();
      assertThat(countFrames(source)).isEqualTo(FRAMES - 1);
    }
  }

  @Test
  void shouldRefuseToGrabBeforeOpenAndReportDefaultsWhileClosed() throws Exception {
    // Given
    VideoSource source = source(clip);

    // Then
    assertThatThrownBy(source::grab)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cam7");
    assertThat(source.frameRate()).isEqualTo(25.0);
    assertThat(source.declaredFrames()).isEqualTo(-1);
    assertThat(source.spec().id()).isEqualTo("cam7");
  }

  @Test
  void shouldAllowCloseTwice() throws Exception {
    // Given
    VideoSource source = source(clip);
    source.open();

    // When
    source.close();

    // Then
    assertThatCode(source::close).doesNotThrowAnyException();
    assertThatThrownBy(source::grab).isInstanceOf(IllegalStateException.class);
  }
}
