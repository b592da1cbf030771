package io.megastream.mega.pose;

import io.megastream.mega.body.Landmarks;
import io.megastream.pose.ModelResources;
import io.megastream.pose.PoseModelException;
import io.megastream.pose.TfliteNet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
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
 * 0.5.1675469404, bundled at build time), run by TensorFlow Lite with XNNPACK (the default) or by
 * OpenCV DNN. Input: a person crop, upright and centred as MediaPipe's ROI makes it; output: {@link
 * PoseLandmarks}. Not thread-safe: one instance per thread.
 */
public final class BlazePose implements AutoCloseable {

  /** Input side of the model, pixels. */
  public static final int INPUT = 256;

  /** The interpreter threads of {@link #load(Variant)}: both cores of a small machine. */
  public static final int DEFAULT_THREADS = Math.min(2, Runtime.getRuntime().availableProcessors());

  /** The bundled model variants. */
  public enum Variant {
    /** 2.8 MB, the fastest. */
    LITE("pose_landmark_lite.tflite"),
    /** 6.4 MB, more accurate. */
    FULL("pose_landmark_full.tflite"),
    /** 27.7 MB, the most accurate. */
    HEAVY("pose_landmark_heavy.tflite");

    private final String resource;

    Variant(String resource) {
      this.resource = resource;
    }

    public String resource() {
      return resource;
    }
  }

  /** Which runtime executes the model. */
  public enum Engine {
    /** TensorFlow Lite with the XNNPACK delegate: 2-2.8x faster than OpenCV DNN here. */
    TFLITE,
    /** OpenCV DNN's TFLite importer, kept for comparison (it cannot load the pose detector). */
    OPENCV
  }

  private static final int RAW_LANDMARKS = 39; // 33 body + 6 auxiliary (ROI) points

  private final Variant variant;
  private final Engine engine;
  private final TfliteNet tflite; // TFLITE
  private final Net net; // OPENCV
  private final StringVector outputNames; // OPENCV
  private final Mat rgb = new Mat();
  private final Mat resized = new Mat();
  private final Mat input = new Mat();
  private boolean closed;

  private BlazePose(Variant variant, TfliteNet tflite, Net net) {
    this.variant = variant;
    this.engine = tflite != null ? Engine.TFLITE : Engine.OPENCV;
    this.tflite = tflite;
    this.net = net;
    this.outputNames = net != null ? net.getUnconnectedOutLayersNames() : null;
  }

  /**
   * Loads a bundled variant on TensorFlow Lite with {@link #DEFAULT_THREADS} threads.
   *
   * @throws PoseModelException if the model is missing from the class path or cannot be read
   */
  public static BlazePose load(Variant variant) {
    return load(variant, Engine.TFLITE, DEFAULT_THREADS);
  }

  /**
   * Loads a bundled variant on a chosen runtime.
   *
   * @param threads interpreter threads (TFLite); OpenCV DNN uses its process-wide setting
   * @throws PoseModelException if the model is missing from the class path or cannot be read
   */
  public static BlazePose load(Variant variant, Engine engine, int threads) {
    return load(variant, engine, threads, ModelResources.read(variant.resource()));
  }

  /** Loads a model from its TFLite bytes on TensorFlow Lite. */
  static BlazePose load(Variant variant, byte[] tflite) {
    return load(variant, Engine.TFLITE, DEFAULT_THREADS, tflite);
  }

  /**
   * Loads a model from its TFLite bytes.
   *
   * @throws PoseModelException if the runtime cannot parse it or it does not have BlazePose's
   *     outputs
   */
  static BlazePose load(Variant variant, Engine engine, int threads, byte[] tflite) {
    BlazePose pose;
    if (engine == Engine.TFLITE) {
      pose = new BlazePose(variant, TfliteNet.load(variant.resource(), tflite, threads), null);
      int[] in = pose.tflite.inputShape();
      if (in.length != 4 || in[1] != INPUT || in[2] != INPUT || in[3] != 3) {
        pose.close();
        throw new PoseModelException(
            variant.resource()
                + " is not a BlazePose landmark model (input "
                + Arrays.toString(in)
                + ")",
            null);
      }
    } else {
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
      pose = new BlazePose(variant, null, net);
      if (pose.outputNames.size() < 3) {
        pose.close();
        throw new PoseModelException(
            variant.resource() + " is not a BlazePose landmark model (too few outputs)", null);
      }
    }
    return pose;
  }

  public Variant variant() {
    return variant;
  }

  public Engine engine() {
    return engine;
  }

  /**
   * Runs the model on a person crop.
   *
   * @param bgrCrop 8-bit BGR square crop of the person (any size; resized to 256)
   */
  public PoseLandmarks estimate(Mat bgrCrop) {
    return estimate(List.of(bgrCrop)).get(0);
  }

  /**
   * Runs the model on several crops. On TFLite they go through the interpreter as one batch.
   *
   * @param bgrCrops 8-bit BGR square crops (any size; resized to 256)
   */
  public List<PoseLandmarks> estimate(List<Mat> bgrCrops) {
    if (bgrCrops.isEmpty()) {
      return List.of();
    }
    return engine == Engine.TFLITE ? estimateTflite(bgrCrops) : estimateOpenCv(bgrCrops);
  }

  private List<PoseLandmarks> estimateTflite(List<Mat> crops) {
    int n = crops.size();
    tflite.resizeBatch(n);
    FloatPointer in = tflite.input();
    long per = (long) INPUT * INPUT * 3;
    for (int i = 0; i < n; i++) {
      toInput(crops.get(i));
      Pointer.memcpy(in.getPointer(i * per), input.data(), per * Float.BYTES);
    }
    tflite.invoke();
    float[][] outs = new float[tflite.outputCount()][];
    for (int o = 0; o < outs.length; o++) {
      outs[o] = tflite.output(o);
    }
    List<PoseLandmarks> result = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      result.add(decode(outs, n, i));
    }
    return result;
  }

  private List<PoseLandmarks> estimateOpenCv(List<Mat> crops) {
    List<PoseLandmarks> result = new ArrayList<>(crops.size());
    for (Mat crop : crops) {
      opencv_imgproc.cvtColor(crop, rgb, opencv_imgproc.COLOR_BGR2RGB);
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
        float[][] values = new float[(int) outs.size()][];
        for (int o = 0; o < values.length; o++) {
          values[o] = values(outs.get(o));
        }
        result.add(decode(values, 1, 0));
      }
    }
    return result;
  }

  /** A crop as the model's input: RGB, 256 x 256, float in [0, 1], in {@link #input}. */
  private void toInput(Mat bgrCrop) {
    opencv_imgproc.cvtColor(bgrCrop, rgb, opencv_imgproc.COLOR_BGR2RGB);
    Mat src = rgb;
    if (rgb.cols() != INPUT || rgb.rows() != INPUT) {
      opencv_imgproc.resize(rgb, resized, new Size(INPUT, INPUT));
      src = resized;
    }
    src.convertTo(input, opencv_core.CV_32FC3, 1 / 255.0, 0);
  }

  /**
   * Item {@code i} of a batch of {@code n}: the outputs are told apart by their size per item (39 x
   * 5 landmarks, 39 x 3 world landmarks, 1 presence score).
   */
  private PoseLandmarks decode(float[][] outs, int n, int i) {
    float[] raw = null;
    float[] rawWorld = null;
    float presence = Float.NaN;
    for (float[] all : outs) {
      int per = all.length / n;
      if (per == RAW_LANDMARKS * 5) {
        raw = Arrays.copyOfRange(all, i * per, (i + 1) * per);
      } else if (per == RAW_LANDMARKS * 3) {
        rawWorld = Arrays.copyOfRange(all, i * per, (i + 1) * per);
      } else if (per == 1) {
        presence = all[i];
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

  private static float[] values(Mat m) {
    Mat c = m.isContinuous() ? m : m.clone();
    float[] v = new float[(int) c.total()];
    ((java.nio.FloatBuffer) c.createBuffer()).get(v);
    return v;
  }

  private static float sigmoid(float x) {
    return (float) (1 / (1 + Math.exp(-x)));
  }

  /** Frees the runtime's native objects. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    rgb.close();
    resized.close();
    input.close();
    if (tflite != null) {
      tflite.close();
    } else {
      outputNames.close();
      net.close();
    }
  }
}
