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
   * @param nmsThreshold face-box IoU above which detections within one view merge (MediaPipe: 0.3)
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
   * The persons in a frame, best first. Each view (the whole frame, then each tile) is decoded and
   * merged by weighted NMS on its own, as MediaPipe's graph does on one image; then the views'
   * persons are merged across views by the IoU of their body boxes ({@link #mergeViews}).
   *
   * @param bgrFrame 8-bit BGR frame of any size
   */
  public List<PoseRoi> detect(Mat bgrFrame) {
    int w = bgrFrame.cols();
    int h = bgrFrame.rows();
    opencv_imgproc.cvtColor(bgrFrame, rgb, opencv_imgproc.COLOR_BGR2RGB);
    List<PoseRoi> found = new ArrayList<>();
    int full = Math.max(w, h); // letterboxed: the frame centred in a square
    found.addAll(detectIn((w - full) / 2.0, (h - full) / 2.0, full, options.minScore()));
    float tileMinScore = Math.max(TILE_MIN_SCORE, options.minScore());
    if (options.tiles() > 0) {
      double side = 2.0 * Math.min(w, h) / (options.tiles() + 1); // half-overlapping
      int nx = Math.max(1, (int) Math.ceil((w - side) / (side / 2)) + 1);
      int ny = Math.max(1, (int) Math.ceil((h - side) / (side / 2)) + 1);
      for (int j = 0; j < ny; j++) {
        for (int i = 0; i < nx; i++) {
          double x0 = nx == 1 ? (w - side) / 2 : i * (w - side) / (nx - 1);
          double y0 = ny == 1 ? (h - side) / 2 : j * (h - side) / (ny - 1);
          found.addAll(detectIn(x0, y0, side, tileMinScore));
        }
      }
    }
    return mergeViews(found, CROSS_VIEW_IOU, options.maxDetections());
  }

  /** Body-box IoU above which two views' persons are one person. */
  static final double CROSS_VIEW_IOU = 0.4;

  /**
   * Greedy merge across views: the best remaining person absorbs every other whose body box
   * overlaps its own by more than {@code threshold}, and becomes their {@link PoseRoi#mean}; a
   * merged person mostly inside one kept before it ({@link #CONTAINED}) is dropped.
   */
  static List<PoseRoi> mergeViews(List<PoseRoi> rois, double threshold, int max) {
    List<PoseRoi> remaining = new ArrayList<>(rois);
    remaining.sort(java.util.Comparator.comparingDouble(PoseRoi::score).reversed());
    List<PoseRoi> out = new ArrayList<>();
    while (!remaining.isEmpty() && out.size() < max) {
      double[] best = remaining.get(0).bodyBounds();
      List<PoseRoi> same = new ArrayList<>();
      List<PoseRoi> rest = new ArrayList<>();
      same.add(remaining.get(0));
      for (PoseRoi r : remaining.subList(1, remaining.size())) {
        (iou(best, r.bodyBounds()) > threshold ? same : rest).add(r);
      }
      PoseRoi merged = same.size() == 1 ? same.get(0) : PoseRoi.mean(same);
      if (!containedIn(merged.bodyBounds(), out, CONTAINED) && !spans(merged.bodyBounds(), out)) {
        out.add(merged);
      }
      remaining = rest;
    }
    return out;
  }

  /**
   * Lowest probability of a person seen in a tile. Tiles show the detector the frame's texture
   * magnified, where it finds more phantoms: on rendered scenes (loadtest's DetectorRecall, seed
   * 7001, tuned there) 0.6 instead of 0.5 raised precision from 0.52 to 0.69 and cost 0.02 of
   * recall at box IoU 0.5.
   */
  static final float TILE_MIN_SCORE = 0.6f;

  /**
   * Share of a person's body box inside a better person's above which it is a part of that person
   * seen in a tile (a torso, a pair of legs) and dropped.
   */
  static final double CONTAINED = 0.8;

  /**
   * Area, in multiples of a better person's body box lying inside it, above which a person's box
   * spans that person and someone else (two pedestrians side by side read as one wide, tilted body)
   * and is dropped.
   */
  static final double SPANNING_AREA = 1.8;

  /**
   * True when a better person's body lies (by more than {@link #CONTAINED}) inside {@code box} and
   * {@code box} is more than {@link #SPANNING_AREA} times its size.
   */
  static boolean spans(double[] box, List<PoseRoi> kept) {
    for (PoseRoi k : kept) {
      double[] b = k.bodyBounds();
      if (intersection(box, b) > CONTAINED * b[2] * b[3]
          && box[2] * box[3] > SPANNING_AREA * b[2] * b[3]) {
        return true;
      }
    }
    return false;
  }

  /** True when more than {@code share} of {@code box} lies inside one of {@code kept}'s bodies. */
  static boolean containedIn(double[] box, List<PoseRoi> kept, double share) {
    for (PoseRoi k : kept) {
      if (intersection(box, k.bodyBounds()) > share * box[2] * box[3]) {
        return true;
      }
    }
    return false;
  }

  /** Area of the overlap of two (x, y, width, height) boxes; 0 when they are apart. */
  private static double intersection(double[] a, double[] b) {
    double ix = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
    double iy = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
    return ix > 0 && iy > 0 ? ix * iy : 0;
  }

  private static double iou(double[] a, double[] b) {
    return PoseDetections.iou(
        new float[] {(float) a[0], (float) a[1], (float) a[2], (float) a[3]},
        new float[] {(float) b[0], (float) b[1], (float) b[2], (float) b[3]});
  }

  /**
   * The persons of at least {@code minScore} in the square (x0, y0, side) of {@link #rgb}, in frame
   * pixels, merged by weighted NMS within the view.
   */
  private List<PoseRoi> detectIn(double x0, double y0, double side, float minScore) {
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
    List<PoseDetections.Detection> raw =
        PoseDetections.decode(net.output(boxesOutput), net.output(scoresOutput), minScore);
    List<PoseRoi> out = new ArrayList<>();
    for (PoseDetections.Detection d :
        PoseDetections.weightedNms(raw, options.nmsThreshold(), options.maxDetections())) {
      out.add(PoseRoi.of(d.toFrame(side, x0, y0), 1, 0, 0));
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
