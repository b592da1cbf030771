package io.megastream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.megastream.ingest.IngestConfig.OnFull;
import io.megastream.ingest.IngestConfig.Pace;
import io.megastream.proto.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IngestConfigTest {

  private static final CameraSpec FILE = new CameraSpec("file-cam", "/data/clip.mp4");
  private static final CameraSpec RTSP = new CameraSpec("rtsp-cam", "rtsp://10.0.0.7/s1");
  private static final CameraSpec DEVICE = new CameraSpec("usb-cam", "/dev/video0");

  private static IngestConfig.Builder minimal() {
    return IngestConfig.builder().setBootstrapServers("localhost:9092").addCamera(FILE);
  }

  @Test
  void shouldRejectAGeneratedCameraWithoutItsPlugIn() {
    // Given
    IngestConfig.Builder b = minimal().addCamera(new CameraSpec("gen", "synthetic:seed=1"));

    // Then
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("camera 'gen'")
        .hasMessageContaining("'synthetic:'");
  }

  @Test
  void shouldRefuseAPlugInForASchemeThatFfmpegServes() {
    assertThatThrownBy(() -> minimal().addSourcePlugin("rtsp", c -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rtsp");
  }

  @Test
  void shouldUseDocumentedDefaultsWhenOnlyRequiredOptionsAreSet() {
    // When
    IngestConfig config = minimal().build();

    // Then
    assertThat(config.kafka()).containsExactly(Map.entry("bootstrap.servers", "localhost:9092"));
    assertThat(config.cameras()).containsExactly(FILE);
    assertThat(config.pace()).isEqualTo(Pace.FAST);
    assertThat(config.loop()).isFalse();
    assertThat(config.maxSide()).isZero();
    assertThat(config.jpegQuality()).isEqualTo(85);
    assertThat(config.detector()).isEqualTo("hog");
    assertThat(config.track()).isTrue();
    assertThat(config.queueFrames()).isEqualTo(64);
    assertThat(config.queueBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(config.onFull()).isEqualTo(OnFull.AUTO);
    assertThat(config.maxFrameBytes()).isEqualTo(Topics.FRAME_MAX_BYTES);
    assertThat(config.maxFramesPerCamera()).isZero();
    assertThat(config.reconnectAttempts()).isEqualTo(10);
    assertThat(config.reconnectBackoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.networkTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.maxConsecutiveCorrupt()).isEqualTo(100);
  }

  @Test
  void shouldApplyEveryOptionGiven() {
    // When
    IngestConfig config =
        minimal()
            .addCamera(RTSP)
            .optKafkaProperties(Map.of("acks", "all", "bootstrap.servers", "broker:9093"))
            .optPace(Pace.NATIVE)
            .optLoop(true)
            .optMaxSide(320)
            .optJpegQuality(70)
            .optDetector("full-frame")
            .optTrack(false)
            .optQueue(8, 4096)
            .optOnFull(OnFull.BLOCK)
            .optMaxFrameBytes(2048)
            .optMaxFramesPerCamera(500)
            .optReconnect(-1, Duration.ofMillis(200))
            .optNetworkTimeout(Duration.ofSeconds(3))
            .optMaxConsecutiveCorrupt(5)
            .build();

    // Then
    assertThat(config.kafka())
        .containsOnly(Map.entry("bootstrap.servers", "broker:9093"), Map.entry("acks", "all"));
    assertThat(config.cameras()).containsExactly(FILE, RTSP);
    assertThat(config.pace()).isEqualTo(Pace.NATIVE);
    assertThat(config.loop()).isTrue();
    assertThat(config.maxSide()).isEqualTo(320);
    assertThat(config.jpegQuality()).isEqualTo(70);
    assertThat(config.detector()).isEqualTo("full-frame");
    assertThat(config.track()).isFalse();
    assertThat(config.queueFrames()).isEqualTo(8);
    assertThat(config.queueBytes()).isEqualTo(4096);
    assertThat(config.onFull()).isEqualTo(OnFull.BLOCK);
    assertThat(config.maxFrameBytes()).isEqualTo(2048);
    assertThat(config.maxFramesPerCamera()).isEqualTo(500);
    assertThat(config.reconnectAttempts()).isEqualTo(-1);
    assertThat(config.reconnectBackoff()).isEqualTo(Duration.ofMillis(200));
    assertThat(config.networkTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.maxConsecutiveCorrupt()).isEqualTo(5);
  }

  @Test
  void shouldNotChangeWhenTheBuilderOrItsInputsChangeLater() {
    // Given
    Map<String, Object> props = new HashMap<>(Map.of("bootstrap.servers", "localhost:9092"));
    IngestConfig.Builder builder = IngestConfig.builder().optKafkaProperties(props).addCamera(FILE);
    IngestConfig config = builder.build();

    // When
    props.put("acks", "0");
    builder.addCamera(RTSP).optKafkaProperties(Map.of("linger.ms", "5"));

    // Then
    assertThat(config.kafka()).containsOnlyKeys("bootstrap.servers");
    assertThat(config.cameras()).containsExactly(FILE);
    assertThatThrownBy(() -> config.kafka().put("acks", "0"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.cameras().add(RTSP))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void shouldRequireAtLeastOneCamera() {
    assertThatThrownBy(() -> IngestConfig.builder().setBootstrapServers("localhost:9092").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("camera")
        .hasMessageContaining("--camera");
  }

  @Test
  void shouldRejectDuplicateCameraIds() {
    // Given
    IngestConfig.Builder builder = minimal().addCamera(new CameraSpec("file-cam", "other.mp4"));

    // Then
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("camera ids must be unique")
        .hasMessageContaining("file-cam");
  }

  @Test
  void shouldRejectAnUnknownDetectorNamingTheChoices() {
    assertThatThrownBy(() -> minimal().optDetector("yolo").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("detector 'yolo'")
        .hasMessageContaining("full-frame")
        .hasMessageContaining("hog");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 101, -5})
  void shouldRejectJpegQualityOutside1To100(int quality) {
    assertThatThrownBy(() -> minimal().optJpegQuality(quality).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JPEG quality")
        .hasMessageContaining(String.valueOf(quality));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 100})
  void shouldAcceptJpegQualityAtTheBounds(int quality) {
    assertThat(minimal().optJpegQuality(quality).build().jpegQuality()).isEqualTo(quality);
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 15, -1})
  void shouldRejectAMaxSideBelow16OtherThanZero(int maxSide) {
    assertThatThrownBy(() -> minimal().optMaxSide(maxSide).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max side")
        .hasMessageContaining(String.valueOf(maxSide));
  }

  @Test
  void shouldAcceptAMaxSideOf16() {
    assertThat(minimal().optMaxSide(16).build().maxSide()).isEqualTo(16);
  }

  @Test
  void shouldRequireBootstrapServers() {
    assertThatThrownBy(() -> IngestConfig.builder().addCamera(FILE).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bootstrap.servers")
        .hasMessageContaining("--bootstrap-server");
  }

  @Test
  void shouldAcceptBootstrapServersFromKafkaProperties() {
    // When
    IngestConfig config =
        IngestConfig.builder()
            .optKafkaProperties(Map.of("bootstrap.servers", "a:9092,b:9092"))
            .addCamera(FILE)
            .build();

    // Then
    assertThat(config.kafka()).containsEntry("bootstrap.servers", "a:9092,b:9092");
  }

  @Test
  void shouldRejectNonPositiveQueueCapacity() {
    assertThatThrownBy(() -> minimal().optQueue(0, 1024).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("queue capacity");
    assertThatThrownBy(() -> minimal().optQueue(8, 0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("queue capacity");
  }

  @Test
  void shouldRejectAMaxFrameBytesBelow1024() {
    assertThatThrownBy(() -> minimal().optMaxFrameBytes(1023).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max frame bytes");
  }

  @Test
  void shouldRejectNegativeLimits() {
    assertThatThrownBy(() -> minimal().optMaxFramesPerCamera(-1).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> minimal().optMaxConsecutiveCorrupt(0).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> minimal().optReconnect(-2, Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0} {1} {2} -> drops oldest: {3}")
  @CsvSource({
    // AUTO: only fast-paced files may block the grab thread
    "AUTO, FAST, file, false",
    "AUTO, NATIVE, file, true",
    "AUTO, FAST, rtsp, true",
    "AUTO, NATIVE, rtsp, true",
    "AUTO, FAST, device, true",
    // explicit policies override the source kind and pace
    "BLOCK, FAST, rtsp, false",
    "BLOCK, NATIVE, file, false",
    "BLOCK, FAST, device, false",
    "DROP_OLDEST, FAST, file, true",
    "DROP_OLDEST, NATIVE, rtsp, true"
  })
  void shouldDropOldestOnlyWhereThePolicySaysSo(
      OnFull onFull, Pace pace, String source, boolean expected) {
    // Given
    CameraSpec camera =
        switch (source) {
          case "file" -> FILE;
          case "rtsp" -> RTSP;
          case "device" -> DEVICE;
          default -> throw new IllegalArgumentException(source);
        };
    IngestConfig config =
        IngestConfig.builder()
            .setBootstrapServers("localhost:9092")
            .addCamera(camera)
            .optOnFull(onFull)
            .optPace(pace)
            .build();

    // When
    boolean dropsOldest = config.dropsOldest(camera);

    // Then
    assertThat(dropsOldest).isEqualTo(expected);
  }
}
