package io.megastream.ingest.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.megastream.ingest.CameraSpec;
import io.megastream.ingest.source.GrabbedImage;
import io.megastream.ingest.source.VideoSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SyntheticClipTest {

  @TempDir Path dir;

  private static SyntheticClip clip(long seed) {
    return SyntheticClip.builder().optSize(320, 240).optFrames(64).optSeed(seed).build();
  }

  /** Width, height, channels and stream time of every frame. */
  private static List<long[]> readAll(Path file) throws Exception {
    List<long[]> frames = new ArrayList<>();
    try (VideoSource source =
        new VideoSource(new CameraSpec("clip", file.toString()), Duration.ofSeconds(5))) {
      source.open();
      GrabbedImage image;
      while ((image = source.grab()) != null) {
        frames.add(
            new long[] {
              image.bgr().cols(), image.bgr().rows(), image.bgr().channels(), image.streamTimeUs()
            });
      }
    }
    return frames;
  }

  @Test
  void shouldWriteAClipThatReadsBackWithExactlyTheFramesWritten() throws Exception {
    // Given
    Path file = dir.resolve("walkers.mp4");

    // When
    int written = clip(1).write(file);
    List<long[]> frames = readAll(file);

    // Then
    assertThat(written).isEqualTo(64);
    assertThat(frames).hasSize(64);
    assertThat(frames).allSatisfy(f -> assertThat(f).startsWith(320, 240, 3));
    for (int i = 1; i < frames.size(); i++) {
      assertThat(frames.get(i)[3])
          .as("stream time of frame %d", i)
          .isGreaterThan(frames.get(i - 1)[3]);
    }
  }

  @Test
  void shouldDeclareItsFrameCountAndRateInTheContainer() throws Exception {
    // Given
    Path file = dir.resolve("rate.mp4");
    SyntheticClip.builder().optSize(160, 120).optFrames(30).optFps(15).build().write(file);

    // When
    try (VideoSource source =
        new VideoSource(new CameraSpec("clip", "file:" + file), Duration.ofSeconds(5))) {
      source.open();

      // Then
      assertThat(source.declaredFrames()).isEqualTo(30);
      assertThat(source.frameRate()).isCloseTo(15.0, within(0.01));
    }
  }

  @Test
  void shouldWriteByteIdenticalFilesForTheSameSeed() throws Exception {
    // Given
    Path a = dir.resolve("a.mp4");
    Path b = dir.resolve("b.mp4");

    // When
    clip(7).write(a);
    clip(7).write(b);

    // Then: the MPEG-4 encoder and MP4 muxer are deterministic (no timestamps in the file)
    assertThat(Files.size(a)).isPositive();
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
  }

  @Test
  void shouldWriteDifferentFilesForDifferentSeeds() throws Exception {
    // Given
    Path a = dir.resolve("seed1.mp4");
    Path b = dir.resolve("seed2.mp4");

    // When
    clip(1).write(a);
    clip(2).write(b);

    // Then
    assertThat(Files.readAllBytes(a)).isNotEqualTo(Files.readAllBytes(b));
  }

  @Test
  void shouldCreateMissingParentDirectories() throws Exception {
    // Given
    Path file = dir.resolve("nested/deeper/clip.mp4");

    // When
    SyntheticClip.builder().optSize(64, 64).optFrames(3).optPersons(0).build().write(file);

    // Then
    assertThat(file).isRegularFile();
    assertThat(readAll(file)).hasSize(3);
  }

  @Test
  void shouldRejectInvalidBuilderOptions() {
    SyntheticClip.Builder b = SyntheticClip.builder();
    assertThatThrownBy(() -> b.optSize(62, 64)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.optSize(64, 62)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.optSize(321, 240))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("even");
    assertThatThrownBy(() -> b.optSize(320, 241)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.optFps(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.optFps(-25)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.optFps(241)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.optFrames(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.optPersons(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.optPersons(11)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldAcceptBuilderOptionsAtTheirBounds() {
    assertThatCode(
            () ->
                SyntheticClip.builder()
                    .optSize(64, 64)
                    .optFps(240)
                    .optFrames(1)
                    .optPersons(0)
                    .optPersons(10)
                    .build())
        .doesNotThrowAnyException();
  }

  @Test
  void shouldReportAnUnwritableTargetAsIOException() throws Exception {
    // Given: the parent "directory" is a regular file
    Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");
    Path file = blocker.resolve("clip.mp4");

    // Then
    assertThatThrownBy(() -> clip(1).write(file)).isInstanceOf(java.io.IOException.class);
  }
}
