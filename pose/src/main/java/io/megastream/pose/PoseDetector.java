package io.megastream.pose;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * MediaPipe's BlazePose person detector ({@code pose_detection.tflite}, bundled from the same npm
 * package as the landmark models) on TensorFlow Lite, as a multi-person detector: the frame is
 * letterboxed to 224 x 224 (RGB in [-1, 1]), and so are overlapping tiles of it (small people), the
 * 2254 SSD outputs of each are decoded and merged by weighted NMS in frame pixels ({@link
 * PoseDetections}), and each detection becomes MediaPipe's landmark ROI ({@link PoseRoi}). Not
 * thread-safe: one instance per thread.
 */
public final class PoseDetector implements AutoCloseable {

  /** The bundled model file. */
  public static final String RESOURCE = "pose_detection.tflite";

  /**
   * What to keep, and where to look.
   *
   * @param minScore lowest detection probability (MediaPipe's graph: 0.5)
   * @param nmsThreshold IoU above which detections merge (MediaPipe's graph: 0.3)
   * @param maxDetections most persons per frame
   * @param tiles besides the whole frame, look in a grid of overlapping square tiles, {@code tiles}
   *     along the shorter side (0: the whole frame only). The detector sees the frame at 224 px, so
   *     a person under about a third of the frame's height is found only in a tile. The default, 4,
   *     finds 80-130 px pedestrians in 768 x 576 (OpenCV's vtest.avi) at 31 detector runs per frame
   */
  public record Options(float minScore, double nmsThreshold, int maxDetections, int tiles) {

    public static final Options DEFAULTS = new Options(0.5f, 0.3, 32, 4);

    public Options {
      if (tiles < 0 || tiles > 8) {
        throw new IllegalArgumentException("tiles must be in [0, 8], got " + tiles);
      }
      if (!(minScore > 0 && minScore < 1) || !(nmsThreshold > 0 && nmsThreshold < 1)) {
        throw new IllegalArgumentException("minScore and nmsThreshold must be in (0, 1)");
      }
      if (maxDetections < 1) {
        throw new IllegalArgumentException("maxDetections must be >= 1");
      }
    }
  }

  private final TfliteNet net;
  private final Options options;
  private final int boxesOutput;
  private final int scoresOutput;
  private final Mat rgb = new Mat();
  private final Mat letterboxed = new Mat();
  private final Mat input = new Mat();
  private boolean closed;

  private PoseDetector(TfliteNet net, Options options, int boxesOutput, int scoresOutput) {
    this.net = net;
    this.options = options;
    this.boxesOutput = boxesOutput;
    this.scoresOutput = scoresOutput;
  }

  /**
   * Loads the bundled detector.
   *
   * @throws PoseModelException if it is missing from the class path or cannot be run
   */
  public static PoseDetector load(Options options, int threads) {
    return load(ModelResources.read(RESOURCE), options, threads);
  }

  /**
   * Loads a detector from its TFLite bytes.
   *
   * @throws PoseModelException if TFLite cannot run it or it does not have the detector's shapes
   */
  static PoseDetector load(byte[] tflite, Options options, int threads) {
    TfliteNet net = TfliteNet.load(RESOURCE, tflite, threads);
    int[] in = net.inputShape();
    int boxes = -1;
    int scores = -1;
    for (int o = 0; o < net.outputCount(); o++) {
      int n = net.outputSize(o);
      if (n == PoseDetections.ANCHORS * PoseDetections.COORDS) {
        boxes = o;
      } else if (n == PoseDetections.ANCHORS) {
        scores = o;
      }
    }
    if (in.length != 4
        || in[1] != PoseDetections.INPUT
        || in[2] != PoseDetections.INPUT
        || boxes < 0
        || scores < 0) {
      net.close();
      throw new PoseModelException(
          RESOURCE + " is not BlazePose's pose detector (want a 224 x 224 input, 2254 boxes)",
          null);
    }
    return new PoseDetector(net, options, boxes, scores);
  }

  /**
   * The persons in a frame, best first: the whole frame, then the tiles, merged by weighted NMS.
   *
   * @param bgrFrame 8-bit BGR frame of any size
   */
  public List<PoseRoi> detect(Mat bgrFrame) {
    int w = bgrFrame.cols();
    int h = bgrFrame.rows();
    opencv_imgproc.cvtColor(bgrFrame, rgb, opencv_imgproc.COLOR_BGR2RGB);
    List<PoseDetections.Detection> found = new ArrayList<>();
    int full = Math.max(w, h); // letterboxed: the frame centred in a square
    found.addAll(detectIn((w - full) / 2.0, (h - full) / 2.0, full));
    if (options.tiles() > 0) {
      double side = 2.0 * Math.min(w, h) / (options.tiles() + 1); // half-overlapping
      int nx = Math.max(1, (int) Math.ceil((w - side) / (side / 2)) + 1);
      int ny = Math.max(1, (int) Math.ceil((h - side) / (side / 2)) + 1);
      for (int j = 0; j < ny; j++) {
        for (int i = 0; i < nx; i++) {
          double x0 = nx == 1 ? (w - side) / 2 : i * (w - side) / (nx - 1);
          double y0 = ny == 1 ? (h - side) / 2 : j * (h - side) / (ny - 1);
          found.addAll(detectIn(x0, y0, side));
        }
      }
    }
    List<PoseDetections.Detection> merged =
        PoseDetections.weightedNms(found, options.nmsThreshold(), options.maxDetections());
    List<PoseRoi> rois = new ArrayList<>(merged.size());
    for (PoseDetections.Detection d : merged) {
      rois.add(PoseRoi.of(d, 1, 0, 0));
    }
    return rois;
  }

  /** Detections in the square (x0, y0, side) of {@link #rgb}, in frame pixels. */
  private List<PoseDetections.Detection> detectIn(double x0, double y0, double side) {
    double scale = PoseDetections.INPUT / side;
    try (Mat m = new Mat(2, 3, opencv_core.CV_64F)) {
      ((java.nio.DoubleBuffer) m.createBuffer())
          .put(new double[] {scale, 0, -x0 * scale, 0, scale, -y0 * scale});
      opencv_imgproc.warpAffine(
          rgb,
          letterboxed,
          m,
          new Size(PoseDetections.INPUT, PoseDetections.INPUT),
          scale < 1 ? opencv_imgproc.INTER_AREA : opencv_imgproc.INTER_LINEAR,
          opencv_core.BORDER_CONSTANT,
          new Scalar(0.0));
    }
    // black borders are 0 -> -1, as MediaPipe's ImageToTensorCalculator pads
    letterboxed.convertTo(input, opencv_core.CV_32FC3, 2 / 255.0, -1);
    net.resizeBatch(1);
    Pointer.memcpy(
        net.input(),
        input.data(),
        (long) PoseDetections.INPUT * PoseDetections.INPUT * 3 * Float.BYTES);
    net.invoke();
    List<PoseDetections.Detection> out = new ArrayList<>();
    for (PoseDetections.Detection d :
        PoseDetections.decode(
            net.output(boxesOutput), net.output(scoresOutput), options.minScore())) {
      out.add(d.toFrame(side, x0, y0));
    }
    return out;
  }

  /** Frees the interpreter and the buffers. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    rgb.close();
    letterboxed.close();
    input.close();
    net.close();
  }
}
