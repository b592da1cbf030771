package io.megastream.pose;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The arithmetic of MediaPipe's pose detection graph ({@code pose_detection_cpu.pbtxt}), without
 * the model: the SSD anchors ({@code SsdAnchorsCalculator}), decoding the raw tensors into
 * detections ({@code TensorsToDetectionsCalculator}) and weighted non-maximum suppression ({@code
 * NonMaxSuppressionCalculator}, algorithm WEIGHTED). Written from the calculators' documented
 * options; coordinates are normalised to the detector's 224 x 224 input.
 */
public final class PoseDetections {

  /** Input side of the detector, pixels. */
  public static final int INPUT = 224;

  /** Anchors (and raw boxes) of the 224 x 224 detector: 28² x 2 + 14² x 2 + 7² x 6. */
  public static final int ANCHORS = 2254;

  /** Values per raw box: the box (x, y, w, h) and four keypoints (x, y). */
  public static final int COORDS = 12;

  /** Keypoints per detection: mid-hip, full-body size/rotation, mid-shoulder, upper-body. */
  public static final int KEYPOINTS = 4;

  // the graph's SsdAnchorsCalculatorOptions
  private static final int NUM_LAYERS = 5;
  private static final double MIN_SCALE = 0.1484375;
  private static final double MAX_SCALE = 0.75;
  private static final int[] STRIDES = {8, 16, 32, 32, 32};
  private static final double ANCHOR_OFFSET = 0.5;

  private static final float[] ANCHOR_CENTRES = anchorCentres();

  private PoseDetections() {}

  /**
   * One decoded detection, normalised to the detector's input.
   *
   * @param box (xmin, ymin, width, height) of the detected face region
   * @param keypoints 4 x (x, y): mid-hip centre, a point encoding the full body's size and
   *     rotation, mid-shoulder centre, the same for the upper body
   * @param score probability of a person
   */
  public record Detection(float[] box, float[] keypoints, float score) {

    /**
     * This detection in frame pixels, from a detector run on the square (x0, y0, side) of the
     * frame.
     */
    public Detection toFrame(double side, double x0, double y0) {
      float[] b = {
        (float) (box[0] * side + x0),
        (float) (box[1] * side + y0),
        (float) (box[2] * side),
        (float) (box[3] * side)
      };
      float[] kp = new float[keypoints.length];
      for (int k = 0; k < kp.length; k += 2) {
        kp[k] = (float) (keypoints[k] * side + x0);
        kp[k + 1] = (float) (keypoints[k + 1] * side + y0);
      }
      return new Detection(b, kp, score);
    }

    public float keypointX(int k) {
      return keypoints[2 * k];
    }

    public float keypointY(int k) {
      return keypoints[2 * k + 1];
    }
  }

  /**
   * The anchor centres, {@link #ANCHORS} x (x, y) in [0, 1]. The graph uses fixed-size anchors
   * (width = height = 1), so only the centres matter; layers of equal stride share one grid, with
   * two anchors per layer at each cell.
   */
  static float[] anchorCentres() {
    List<float[]> centres = new ArrayList<>();
    int layer = 0;
    while (layer < NUM_LAYERS) {
      int last = layer;
      int perCell = 0;
      while (last < NUM_LAYERS && STRIDES[last] == STRIDES[layer]) {
        perCell += 2; // aspect ratio 1.0, plus the interpolated scale between this layer and next
        last++;
      }
      int grid = (int) Math.ceil((double) INPUT / STRIDES[layer]);
      for (int y = 0; y < grid; y++) {
        for (int x = 0; x < grid; x++) {
          for (int a = 0; a < perCell; a++) {
            centres.add(
                new float[] {
                  (float) ((x + ANCHOR_OFFSET) / grid), (float) ((y + ANCHOR_OFFSET) / grid)
                });
          }
        }
      }
      layer = last;
    }
    float[] flat = new float[centres.size() * 2];
    for (int i = 0; i < centres.size(); i++) {
      flat[2 * i] = centres.get(i)[0];
      flat[2 * i + 1] = centres.get(i)[1];
    }
    return flat;
  }

  /** Anchor {@code i}'s centre x in [0, 1]. */
  static float anchorX(int i) {
    return ANCHOR_CENTRES[2 * i];
  }

  /** Anchor {@code i}'s centre y in [0, 1]. */
  static float anchorY(int i) {
    return ANCHOR_CENTRES[2 * i + 1];
  }

  /**
   * Decodes the detector's raw outputs.
   *
   * @param boxes {@link #ANCHORS} x {@link #COORDS} raw values, in input pixels relative to the
   *     anchor
   * @param scores {@link #ANCHORS} logits
   * @param minScore the lowest probability kept
   */
  public static List<Detection> decode(float[] boxes, float[] scores, float minScore) {
    if (boxes.length != ANCHORS * COORDS || scores.length != ANCHORS) {
      throw new IllegalArgumentException(
          "expected "
              + ANCHORS
              + " x "
              + COORDS
              + " boxes and "
              + ANCHORS
              + " scores, got "
              + boxes.length
              + " and "
              + scores.length);
    }
    List<Detection> out = new ArrayList<>();
    for (int i = 0; i < ANCHORS; i++) {
      double logit = Math.max(-100, Math.min(100, scores[i]));
      float score = (float) (1 / (1 + Math.exp(-logit)));
      if (score < minScore) {
        continue;
      }
      int o = i * COORDS;
      float ax = anchorX(i);
      float ay = anchorY(i);
      float cx = boxes[o] / INPUT + ax;
      float cy = boxes[o + 1] / INPUT + ay;
      float w = boxes[o + 2] / INPUT;
      float h = boxes[o + 3] / INPUT;
      float[] kp = new float[2 * KEYPOINTS];
      for (int k = 0; k < KEYPOINTS; k++) {
        kp[2 * k] = boxes[o + 4 + 2 * k] / INPUT + ax;
        kp[2 * k + 1] = boxes[o + 5 + 2 * k] / INPUT + ay;
      }
      out.add(new Detection(new float[] {cx - w / 2, cy - h / 2, w, h}, kp, score));
    }
    return out;
  }

  /**
   * Weighted non-maximum suppression: the best remaining detection absorbs every other whose box
   * overlaps it by more than {@code threshold} (intersection over union), and its box and keypoints
   * become their score-weighted mean; its score stays its own.
   *
   * @param max the most detections returned
   */
  public static List<Detection> weightedNms(List<Detection> detections, double threshold, int max) {
    List<Detection> remaining = new ArrayList<>(detections);
    remaining.sort(Comparator.comparingDouble(Detection::score).reversed());
    List<Detection> out = new ArrayList<>();
    while (!remaining.isEmpty() && out.size() < max) {
      Detection best = remaining.get(0);
      List<Detection> absorbed = new ArrayList<>();
      List<Detection> rest = new ArrayList<>();
      for (Detection d : remaining) {
        (iou(best.box(), d.box()) > threshold ? absorbed : rest).add(d);
      }
      if (absorbed.isEmpty()) { // a degenerate (empty) box overlaps nothing, not even itself
        absorbed.add(best);
        rest.remove(best);
      }
      float[] box = new float[4];
      float[] kp = new float[2 * KEYPOINTS];
      double total = 0;
      for (Detection d : absorbed) {
        total += d.score();
        box[0] += d.score() * d.box()[0];
        box[1] += d.score() * d.box()[1];
        box[2] += d.score() * (d.box()[0] + d.box()[2]);
        box[3] += d.score() * (d.box()[1] + d.box()[3]);
        for (int k = 0; k < kp.length; k++) {
          kp[k] += d.score() * d.keypoints()[k];
        }
      }
      for (int k = 0; k < 4; k++) {
        box[k] /= (float) total;
      }
      box[2] -= box[0];
      box[3] -= box[1];
      for (int k = 0; k < kp.length; k++) {
        kp[k] /= (float) total;
      }
      out.add(new Detection(box, kp, best.score()));
      remaining = rest;
    }
    return out;
  }

  /** Intersection over union of two (x, y, w, h) boxes; 0 when either is empty. */
  static double iou(float[] a, float[] b) {
    double ix = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
    double iy = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
    if (ix <= 0 || iy <= 0) {
      return 0;
    }
    double inter = ix * iy;
    double union = (double) a[2] * a[3] + (double) b[2] * b[3] - inter;
    return union > 0 ? inter / union : 0;
  }
}
