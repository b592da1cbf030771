package io.megastream.ingest.encode;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Downscales a frame to a maximum side and encodes it as JPEG. Not thread-safe (reuses buffers):
 * one per grab thread.
 */
public final class FrameEncoder implements AutoCloseable {

  private final int maxSide;
  private final Mat scaled = new Mat();
  private final BytePointer jpeg = new BytePointer();
  private final IntPointer params;

  /**
   * @param maxSide longest side of the published image; 0 keeps the source size
   * @param jpegQuality 1..100
   */
  public FrameEncoder(int maxSide, int jpegQuality) {
    if (maxSide < 0) {
      throw new IllegalArgumentException("maxSide must be >= 0");
    }
    if (jpegQuality < 1 || jpegQuality > 100) {
      throw new IllegalArgumentException("JPEG quality must be 1..100, was " + jpegQuality);
    }
    this.maxSide = maxSide;
    this.params = new IntPointer(opencv_imgcodecs.IMWRITE_JPEG_QUALITY, jpegQuality);
  }

  /**
   * The frame at the published size: {@code bgr} itself when no downscale applies, otherwise a
   * buffer owned by this encoder (valid until the next call).
   */
  public Mat downscale(Mat bgr) {
    int longest = Math.max(bgr.cols(), bgr.rows());
    if (maxSide == 0 || longest <= maxSide) {
      return bgr;
    }
    double s = (double) maxSide / longest;
    int w = Math.max(1, (int) Math.round(bgr.cols() * s));
    int h = Math.max(1, (int) Math.round(bgr.rows() * s));
    opencv_imgproc.resize(bgr, scaled, new Size(w, h), 0, 0, opencv_imgproc.INTER_AREA);
    return scaled;
  }

  /**
   * JPEG bytes of an image.
   *
   * @throws IllegalStateException if OpenCV cannot encode it
   */
  public byte[] jpeg(Mat bgr) {
    if (!opencv_imgcodecs.imencode(".jpg", bgr, jpeg, params)) {
      throw new IllegalStateException(
          "JPEG encoding failed for a " + bgr.cols() + "x" + bgr.rows() + " image");
    }
    byte[] out = new byte[(int) jpeg.limit()];
    jpeg.get(out);
    return out;
  }

  @Override
  public void close() {
    scaled.close();
    jpeg.close();
    params.close();
  }
}
