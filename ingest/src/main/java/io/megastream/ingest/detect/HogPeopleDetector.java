package io.megastream.ingest.detect;

import io.megastream.proto.Box;
import io.megastream.proto.PersonBox;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.HOGDescriptor;

/**
 * OpenCV's HOG + linear SVM pedestrian detector (Dalal-Triggs). Runs on a copy scaled to at most
 * {@code maxWidth} pixels wide (cost grows with area: ~45 ms at 640x480 on one core) and maps the
 * boxes back. Not thread-safe.
 */
public final class HogPeopleDetector implements PersonDetector {

  private final HOGDescriptor hog = new HOGDescriptor();
  private final int maxWidth;
  private final double minScore;

  /**
   * @param maxWidth width the frame is scaled down to before detection
   * @param minScore SVM margin below which a detection is discarded
   */
  public HogPeopleDetector(int maxWidth, double minScore) {
    this.maxWidth = maxWidth;
    this.minScore = minScore;
    hog.setSVMDetector(new Mat(HOGDescriptor.getDefaultPeopleDetector()));
  }

  @Override
  public String name() {
    return "hog";
  }

  @Override
  public List<PersonBox> detect(Mat bgr) {
    double scale = bgr.cols() > maxWidth ? (double) maxWidth / bgr.cols() : 1.0;
    Mat input = bgr;
    Mat scaled = null;
    if (scale < 1.0) {
      scaled = new Mat();
      opencv_imgproc.resize(
          bgr,
          scaled,
          new Size(maxWidth, (int) Math.round(bgr.rows() * scale)),
          0,
          0,
          opencv_imgproc.INTER_AREA);
      input = scaled;
    }
    List<PersonBox> out = new ArrayList<>();
    try (RectVector found = new RectVector();
        DoublePointer weights = new DoublePointer();
        Size winStride = new Size(8, 8);
        Size padding = new Size(8, 8)) {
      hog.detectMultiScale(input, found, weights, 0, winStride, padding, 1.05, 2, false);
      for (long i = 0; i < found.size(); i++) {
        // JavaCPP resizes the output vector: capacity() is its length after the call
        double w = i < weights.capacity() ? weights.get(i) : 1.0;
        if (w < minScore) {
          continue;
        }
        Rect r = found.get(i);
        // HOG boxes are loose around the person; clamp to the frame after scaling back.
        float x = (float) Math.max(0, r.x() / scale);
        float y = (float) Math.max(0, r.y() / scale);
        float x2 = (float) Math.min(bgr.cols(), (r.x() + r.width()) / scale);
        float y2 = (float) Math.min(bgr.rows(), (r.y() + r.height()) / scale);
        if (x2 - x < 2 || y2 - y < 2) {
          continue;
        }
        out.add(
            PersonBox.newBuilder()
                .setBox(Box.newBuilder().setX(x).setY(y).setWidth(x2 - x).setHeight(y2 - y))
                .setScore((float) w)
                .build());
      }
    } finally {
      if (scaled != null) {
        scaled.close();
      }
    }
    out.sort(Comparator.comparingDouble(PersonBox::getScore).reversed());
    return suppressOverlaps(out, 0.6);
  }

  /**
   * Greedy non-maximum suppression over boxes sorted best first: HOG's multi-scale grouping leaves
   * nested boxes around one person. A box is dropped when most of it (the overlap over the smaller
   * box's area) lies inside a better one.
   */
  static List<PersonBox> suppressOverlaps(List<PersonBox> sortedBestFirst, double maxOverlap) {
    List<PersonBox> kept = new ArrayList<>();
    for (PersonBox candidate : sortedBestFirst) {
      boolean overlaps = false;
      for (PersonBox k : kept) {
        if (overlapOfSmaller(k.getBox(), candidate.getBox()) > maxOverlap) {
          overlaps = true;
          break;
        }
      }
      if (!overlaps) {
        kept.add(candidate);
      }
    }
    return kept;
  }

  static double overlapOfSmaller(Box a, Box b) {
    double smaller = Math.min(Boxes.area(a), Boxes.area(b));
    return smaller <= 0 ? 0 : Boxes.intersection(a, b) / smaller;
  }
}
