package io.megastream.ingest.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameEncoderTest {

  private static Mat flat(int width, int height) {
    return new Mat(height, width, opencv_core.CV_8UC3, new Scalar(40, 120, 200, 0));
  }

  private static Mat noisy(int width, int height) {
    Mat m = new Mat(height, width, opencv_core.CV_8UC3);
    opencv_core.setRNGSeed(42);
    try (Mat low = new Mat(3, 1, opencv_core.CV_64F, new Scalar(0));
        Mat high = new Mat(3, 1, opencv_core.CV_64F, new Scalar(256))) {
      opencv_core.randu(m, low, high);
    }
    return m;
  }

  private static Mat decode(byte[] jpeg) {
    try (BytePointer p = new BytePointer(jpeg);
        Mat buf = new Mat(1, jpeg.length, opencv_core.CV_8U, p)) {
      return opencv_imgcodecs.imdecode(buf, opencv_imgcodecs.IMREAD_COLOR);
    }
  }

  @ParameterizedTest(name = "{0}x{1} to max side {2} -> {3}x{4}")
  @CsvSource({
    "1280, 720, 640, 640, 360",
    "720, 1280, 640, 360, 640",
    "1920, 1080, 320, 320, 180",
    "768, 576, 640, 640, 480",
    "1000, 1000, 100, 100, 100",
    "641, 480, 640, 640, 479"
  })
  void shouldDownscaleToTheMaxSideKeepingTheAspectRatio(
      int width, int height, int maxSide, int expectedWidth, int expectedHeight) {
    // Given
    try (FrameEncoder encoder = new FrameEncoder(maxSide, 85);
        Mat image = flat(width, height)) {

      // When
      Mat scaled = encoder.downscale(image);

      // Then
      assertThat(scaled.cols()).isEqualTo(expectedWidth);
      assertThat(scaled.rows()).isEqualTo(expectedHeight);
      assertThat(Math.max(scaled.cols(), scaled.rows())).isEqualTo(maxSide);
      assertThat(scaled.type()).isEqualTo(image.type());
      // aspect ratio within one pixel of rounding
      assertThat(Math.abs(scaled.cols() * (double) height / width - scaled.rows()))
          .isLessThanOrEqualTo(1.0);
    }
  }

  @Test
  void shouldReturnTheSameImageWhenAlreadySmallEnough() {
    // Given
    try (FrameEncoder encoder = new FrameEncoder(640, 85);
        Mat exact = flat(640, 480);
        Mat small = flat(320, 240)) {

      // When / Then
      assertThat(encoder.downscale(exact)).isSameAs(exact);
      assertThat(encoder.downscale(small)).isSameAs(small);
    }
  }

  @Test
  void shouldNeverDownscaleWhenMaxSideIsZero() {
    // Given
    try (FrameEncoder encoder = new FrameEncoder(0, 85);
        Mat big = flat(1920, 1080)) {

      // When / Then
      assertThat(encoder.downscale(big)).isSameAs(big);
    }
  }

  @Test
  void shouldEncodeAJpegThatDecodesToTheSameSize() {
    // Given
    try (FrameEncoder encoder = new FrameEncoder(0, 85);
        Mat image = noisy(320, 240)) {

      // When
      byte[] jpeg = encoder.jpeg(image);

      // Then: SOI marker first, EOI marker last
      assertThat(jpeg).startsWith((byte) 0xFF, (byte) 0xD8);
      assertThat(jpeg[jpeg.length - 2]).isEqualTo((byte) 0xFF);
      assertThat(jpeg[jpeg.length - 1]).isEqualTo((byte) 0xD9);
      try (Mat decoded = decode(jpeg)) {
        assertThat(decoded.empty()).isFalse();
        assertThat(decoded.cols()).isEqualTo(320);
        assertThat(decoded.rows()).isEqualTo(240);
        assertThat(decoded.channels()).isEqualTo(3);
      }
    }
  }

  @Test
  void shouldEncodeTheDownscaledImageAtItsReducedSize() {
    // Given
    try (FrameEncoder encoder = new FrameEncoder(160, 85);
        Mat image = noisy(640, 480)) {

      // When
      byte[] jpeg = encoder.jpeg(encoder.downscale(image));

      // Then
      try (Mat decoded = decode(jpeg)) {
        assertThat(decoded.cols()).isEqualTo(160);
        assertThat(decoded.rows()).isEqualTo(120);
      }
    }
  }

  @Test
  void shouldReturnIndependentBytesForEachCall() {
    // Given: the encoder reuses its native buffer between calls
    try (FrameEncoder encoder = new FrameEncoder(0, 85);
        Mat noise = noisy(320, 240);
        Mat plain = flat(64, 64)) {

      // When
      byte[] first = encoder.jpeg(noise);
      byte[] copy = first.clone();
      byte[] second = encoder.jpeg(plain);

      // Then
      assertThat(first).isEqualTo(copy);
      assertThat(second.length).isLessThan(first.length);
      try (Mat decoded = decode(second)) {
        assertThat(decoded.cols()).isEqualTo(64);
      }
    }
  }

  @Test
  void shouldProduceMoreBytesAtHigherQualityOnANoisyImage() {
    // Given
    try (Mat image = noisy(320, 240);
        FrameEncoder low = new FrameEncoder(0, 20);
        FrameEncoder high = new FrameEncoder(0, 95)) {

      // When
      int lowBytes = low.jpeg(image).length;
      int highBytes = high.jpeg(image).length;

      // Then
      assertThat(highBytes).isGreaterThan(lowBytes * 2);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 101, -1})
  void shouldRejectAnInvalidQuality(int quality) {
    assertThatThrownBy(() -> new FrameEncoder(640, quality))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JPEG quality")
        .hasMessageContaining(String.valueOf(quality));
  }

  @Test
  void shouldRejectANegativeMaxSide() {
    assertThatThrownBy(() -> new FrameEncoder(-1, 85))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSide");
  }
}
