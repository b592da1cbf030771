package io.megastream.pose;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/** Conversions between the renderer's packed RGB pixels and OpenCV images. */
public final class Images {

  private Images() {}

  /**
   * Writes packed {@code 0xRRGGBB} pixels into an 8-bit BGR image, (re)allocating it if its size or
   * type differs.
   *
   * @return {@code into}, or a new image if {@code into} was null or did not fit
   */
  public static Mat toBgr(int[] rgb, int width, int height, Mat into) {
    if (rgb.length != width * height) {
      throw new IllegalArgumentException(rgb.length + " pixels for " + width + "x" + height);
    }
    Mat m = into;
    if (m == null || m.cols() != width || m.rows() != height || m.type() != opencv_core.CV_8UC3) {
      m = new Mat(height, width, opencv_core.CV_8UC3);
    }
    byte[] bgr = new byte[rgb.length * 3];
    for (int i = 0, j = 0; i < rgb.length; i++) {
      int p = rgb[i];
      bgr[j++] = (byte) p;
      bgr[j++] = (byte) (p >> 8);
      bgr[j++] = (byte) (p >> 16);
    }
    m.data().put(bgr);
    return m;
  }

  /**
   * Decodes an encoded image (JPEG, PNG) to 8-bit BGR.
   *
   * @return the image, or null if the bytes are not a decodable image
   */
  public static Mat decode(byte[] encoded) {
    if (encoded == null || encoded.length == 0) {
      return null;
    }
    try (org.bytedeco.javacpp.BytePointer ptr = new org.bytedeco.javacpp.BytePointer(encoded);
        Mat buf = new Mat(1, encoded.length, opencv_core.CV_8U, ptr)) {
      Mat m =
          org.bytedeco.opencv.global.opencv_imgcodecs.imdecode(
              buf, org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR);
      if (m == null || m.empty()) {
        if (m != null) {
          m.close();
        }
        return null;
      }
      return m;
    }
  }

  /** JPEG bytes of an 8-bit BGR image (OpenCV's encoder, its default quality 95). */
  public static byte[] jpeg(Mat image) {
    try (org.bytedeco.javacpp.BytePointer buf = new org.bytedeco.javacpp.BytePointer()) {
      if (!org.bytedeco.opencv.global.opencv_imgcodecs.imencode(".jpg", image, buf)) {
        throw new IllegalArgumentException(
            "OpenCV could not encode a " + image.cols() + "x" + image.rows() + " image as JPEG");
      }
      byte[] out = new byte[(int) buf.limit()];
      buf.get(out);
      return out;
    }
  }

  /** The pixels of an 8-bit image as a new array (row-major, channels interleaved). */
  public static byte[] bytes(Mat image) {
    byte[] out = new byte[(int) (image.total() * image.channels())];
    if (image.isContinuous()) {
      image.data().get(out);
    } else {
      try (Mat c = image.clone()) {
        c.data().get(out);
      }
    }
    return out;
  }
}
