package io.megastream.mega.pose;

import io.megastream.mega.body.Landmarks;
import java.io.IOException;
import java.io.InputStream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_dnn;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.StringVector;
import org.bytedeco.opencv.opencv_dnn.Net;

/**
 * MediaPipe's pretrained BlazePose landmark model (Apache-2.0, npm {@code @mediapipe/pose}
 * 0.5.1675469404, bundled at build time) run by OpenCV DNN. Input: a person-centred square crop;
 * output: {@link PoseLandmarks}. Not thread-safe: one instance per thread.
 */
public final class BlazePose implements AutoCloseable {

  /** Input side of the model, pixels. */
  public static final int INPUT = 256;

  /** The bundled model variants. */
  public enum Variant {
    /** 2.8 MB, the fastest. */
    LITE("pose_landmark_lite.tflite"),
    /** 6.4 MB, more accurate. */
    FULL("pose_landmark_full.tflite");

    private final String resource;

    Variant(String resource) {
      this.resource = resource;
    }

    public String resource() {
      return resource;
    }
  }

  private static final int RAW_LANDMARKS = 39; // 33 body + 6 auxiliary (ROI) points

  private final Variant variant;
  private final Net net;
  private final StringVector outputNames;
  private final Mat rgb = new Mat();

  private BlazePose(Variant variant, Net net) {
    this.variant = variant;
    this.net = net;
    this.outputNames = net.getUnconnectedOutLayersNames();
  }

  /**
   * Loads a bundled variant.
   *
   * @throws PoseModelException if the model is missing from the class path or cannot be read
   */
  public static BlazePose load(Variant variant) {
    String path = "/io/megastream/mega/pose/" + variant.resource();
    byte[] bytes;
    try (InputStream in = BlazePose.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new PoseModelException(
            "BlazePose model "
                + path
                + " is not on the class path: the build fetches it with npm"
                + " (mega/src/build/fetch-blazepose.sh); rebuild with npm installed",
            null);
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new PoseModelException("cannot read BlazePose model " + path, e);
    }
    return load(variant, bytes);
  }

  /**
   * Loads a model from its TFLite bytes.
   *
   * @throws PoseModelException if OpenCV cannot parse it or it does not have BlazePose's outputs
   */
  static BlazePose load(Variant variant, byte[] tflite) {
    Net net;
    try (BytePointer buffer = new BytePointer(tflite)) {
      net = opencv_dnn.readNetFromTFLite(buffer, tflite.length);
    } catch (RuntimeException e) {
      throw new PoseModelException(
          "BlazePose model " + variant.resource() + " is corrupt: " + e.getMessage(), e);
    }
    if (net == null || net.empty()) {
      throw new PoseModelException(
          "BlazePose model " + variant.resource() + " is corrupt: OpenCV read an empty network",
          null);
    }
    BlazePose pose = new BlazePose(variant, net);
    if (pose.outputNames.size() < 3) {
      pose.close();
      throw new PoseModelException(
          variant.resource() + " is not a BlazePose landmark model (too few outputs)", null);
    }
    return pose;
  }

  public Variant variant() {
    return variant;
  }

  /**
   * Runs the model on a person crop.
   *
   * @param bgrCrop 8-bit BGR square crop centred on the person (any size; resized to 256)
   */
  public PoseLandmarks estimate(Mat bgrCrop) {
    opencv_imgproc.cvtColor(bgrCrop, rgb, opencv_imgproc.COLOR_BGR2RGB);
    try (Mat blob =
            opencv_dnn.blobFromImage(
                rgb,
                1 / 255.0,
                new Size(INPUT, INPUT),
                new Scalar(0.0),
                false,
                false,
                opencv_core.CV_32F);
        MatVector outs = new MatVector()) {
      net.setInput(blob);
      net.forward(outs, outputNames);
      float[] raw = null;
      float[] rawWorld = null;
      float presence = Float.NaN;
      for (long i = 0; i < outs.size(); i++) {
        Mat m = outs.get(i);
        long n = m.total();
        if (n == RAW_LANDMARKS * 5L) {
          raw = values(m);
        } else if (n == RAW_LANDMARKS * 3L) {
          rawWorld = values(m);
        } else if (n == 1) {
          presence = values(m)[0];
        }
      }
      if (raw == null || rawWorld == null || Float.isNaN(presence)) {
        throw new PoseModelException(
            variant.resource() + " did not produce BlazePose's landmark outputs", null);
      }
      float[] image = new float[Landmarks.COUNT * PoseLandmarks.IMAGE_STRIDE];
      for (int k = 0; k < Landmarks.COUNT; k++) {
        image[k * 5] = raw[k * 5] / INPUT;
        image[k * 5 + 1] = raw[k * 5 + 1] / INPUT;
        image[k * 5 + 2] = raw[k * 5 + 2] / INPUT;
        image[k * 5 + 3] = sigmoid(raw[k * 5 + 3]);
        image[k * 5 + 4] = sigmoid(raw[k * 5 + 4]);
      }
      float[] world = new float[Landmarks.COUNT * 3];
      System.arraycopy(rawWorld, 0, world, 0, world.length);
      return new PoseLandmarks(image, world, presence);
    }
  }

  private static float[] values(Mat m) {
    Mat c = m.isContinuous() ? m : m.clone();
    float[] v = new float[(int) c.total()];
    ((java.nio.FloatBuffer) c.createBuffer()).get(v);
    return v;
  }

  private static float sigmoid(float x) {
    return (float) (1 / (1 + Math.exp(-x)));
  }

  @Override
  public void close() {
    rgb.close();
    outputNames.close();
    net.close();
  }
}
