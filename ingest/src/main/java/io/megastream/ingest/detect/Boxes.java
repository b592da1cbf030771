package io.megastream.ingest.detect;

import io.megastream.proto.Box;

/** Box geometry shared by the detectors and the tracker. Thread-safe (stateless). */
public final class Boxes {

  private Boxes() {}

  /** Area of the overlap of two boxes, 0 when they do not overlap. */
  public static double intersection(Box a, Box b) {
    double x1 = Math.max(a.getX(), b.getX());
    double y1 = Math.max(a.getY(), b.getY());
    double x2 = Math.min(a.getX() + a.getWidth(), b.getX() + b.getWidth());
    double y2 = Math.min(a.getY() + a.getHeight(), b.getY() + b.getHeight());
    return Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  }

  /** Intersection over union, 0 when both boxes are empty. */
  public static double iou(Box a, Box b) {
    double inter = intersection(a, b);
    double union = area(a) + area(b) - inter;
    return union <= 0 ? 0 : inter / union;
  }

  public static double area(Box b) {
    return b.getWidth() * b.getHeight();
  }
}
