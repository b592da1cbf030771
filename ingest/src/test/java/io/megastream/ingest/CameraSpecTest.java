package io.megastream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CameraSpecTest {

  @Test
  void shouldParseIdAndUrl() {
    // When
    CameraSpec spec = CameraSpec.parse("cam-1.front_door=clip.mp4");

    // Then
    assertThat(spec.id()).isEqualTo("cam-1.front_door");
    assertThat(spec.uri()).isEqualTo("clip.mp4");
  }

  @Test
  void shouldSplitAtTheFirstEqualsSoUrlsMayContainQueryParameters() {
    // When
    CameraSpec spec = CameraSpec.parse("door=rtsp://10.0.0.7/s1?user=a&channel=2");

    // Then
    assertThat(spec.id()).isEqualTo("door");
    assertThat(spec.uri()).isEqualTo("rtsp://10.0.0.7/s1?user=a&channel=2");
  }

  @Test
  void shouldRejectTextWithoutEquals() {
    assertThatThrownBy(() -> CameraSpec.parse("clip.mp4"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clip.mp4")
        .hasMessageContaining("ID=URL");
  }

  @Test
  void shouldRejectAnEmptyId() {
    assertThatThrownBy(() -> CameraSpec.parse("=clip.mp4"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ID=URL");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cam 1=clip.mp4", "cam/1=clip.mp4", "cäm=clip.mp4", "cam:1=clip.mp4"})
  void shouldRejectIdsWithCharactersThatAreNotAllowedInKeys(String text) {
    assertThatThrownBy(() -> CameraSpec.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("camera id '" + text.substring(0, text.indexOf('=')) + "'");
  }

  @Test
  void shouldRejectAnIdLongerThan128Characters() {
    // Given
    String id = "c".repeat(129);

    // Then
    assertThat(new CameraSpec("c".repeat(128), "clip.mp4").id()).hasSize(128);
    assertThatThrownBy(() -> new CameraSpec(id, "clip.mp4"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cam1=", "cam1=   ", "cam1=\t"})
  void shouldRejectABlankUrl(String text) {
    assertThatThrownBy(() -> CameraSpec.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cam1")
        .hasMessageContaining("empty URL");
  }

  @ParameterizedTest
  @CsvSource({
    "clip.mp4, FILE",
    "/data/videos/clip.mp4, FILE",
    "./relative/clip.mkv, FILE",
    "file:/data/clip.mp4, FILE",
    "rtsp://10.0.0.7/s1, NETWORK",
    "RTSP://10.0.0.7/s1, NETWORK",
    "rtsps://10.0.0.7/s1, NETWORK",
    "rtmp://host/live/key, NETWORK",
    "http://host:8080/video.mjpg, NETWORK",
    "https://host/stream.m3u8, NETWORK",
    "udp://239.0.0.1:1234, NETWORK",
    "tcp://host:5000, NETWORK",
    "srt://host:9000, NETWORK",
    "/dev/video0, DEVICE",
    "v4l2:/dev/video0, DEVICE",
    "V4L2:/dev/video2, DEVICE",
    "synthetic:persons=2, GENERATED",
    "SYNTHETIC:, GENERATED"
  })
  void shouldTellTheKindOfSourceFromTheUri(String uri, CameraSpec.Kind expected) {
    // When
    CameraSpec.Kind kind = new CameraSpec("cam", uri).kind();

    // Then
    assertThat(kind).isEqualTo(expected);
    assertThat(kind.isLive())
        .isEqualTo(expected == CameraSpec.Kind.NETWORK || expected == CameraSpec.Kind.DEVICE);
  }

  @ParameterizedTest
  @CsvSource({
    "file:/data/clip.mp4, /data/clip.mp4",
    "FILE:/data/clip.mp4, /data/clip.mp4",
    "v4l2:/dev/video0, /dev/video0",
    "V4L2:/dev/video0, /dev/video0",
    "/dev/video1, /dev/video1",
    "clip.mp4, clip.mp4",
    "rtsp://10.0.0.7/s1, rtsp://10.0.0.7/s1",
    "http://host/file:x, http://host/file:x"
  })
  void shouldStripOnlyTheFileAndV4l2PrefixesFromTheAddress(String uri, String address) {
    assertThat(new CameraSpec("cam", uri).address()).isEqualTo(address);
  }

  @ParameterizedTest
  @CsvSource({
    "synthetic:seed=1, synthetic",
    "RTSP://host/s, rtsp",
    "/data/clip.mp4, ''",
    "clip.mp4, ''",
    "my clip:1.mp4, ''"
  })
  void shouldReadTheSchemeInLowerCase(String uri, String scheme) {
    assertThat(new CameraSpec("cam", uri).scheme()).isEqualTo(scheme);
  }
}
