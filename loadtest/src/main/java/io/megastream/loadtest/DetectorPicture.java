package io.megastream.loadtest;

import io.megastream.mega.pose.BlazePose;
import io.megastream.mega.pose.PoseLandmarks;
import io.megastream.pose.PersonCrop;
import io.megastream.pose.PoseDetector;
import io.megastream.pose.PoseRoi;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * One frame of a clip with what ingest and the worker see in it: the pose detector's body boxes
 * (green), its rotated ROIs (yellow) and BlazePose's landmarks on each ROI crop, mapped back to
 * frame pixels (cyan skeleton). Prints the ROIs. For the README's real-clip picture.
 *
 * <p>Usage: {@code DetectorPicture VIDEO FRAME OUT.jpg [tiles=4]}
 */
public final class DetectorPicture {

  /** BlazePose's limb and torso connections. */
  private static final int[][] SKELETON = {
    {11, 12}, {11, 13}, {13, 15}, {12, 14}, {14, 16}, {11, 23}, {12, 24}, {23, 24},
    {23, 25}, {25, 27}, {24, 26}, {26, 28}, {27, 31}, {28, 32}, {0, 11}, {0, 12}
  };

  private DetectorPicture() {}

  public static void main(String[] args) throws Exception {
    String video = args[0];
    int index = Integer.parseInt(args[1]);
    String out = args[2];
    int tiles = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    Mat frame = null;
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video);
        OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
      g.start();
      Frame f;
      for (int i = 0; (f = g.grabImage()) != null; i++) {
        if (i == index) {
          frame = conv.convert(f).clone();
          break;
        }
      }
    }
    if (frame == null) {
      throw new IllegalArgumentException(video + " has no frame " + index);
    }
    Mat canvas = frame.clone();
    try (PoseDetector detector =
            PoseDetector.load(new PoseDetector.Options(0.5f, 0.3, 32, tiles), 2);
        BlazePose pose = BlazePose.load(BlazePose.Variant.FULL)) {
      List<PoseRoi> rois = detector.detect(frame);
      System.out.printf("%s frame %d: %d persons (tiles=%d)%n", video, index, rois.size(), tiles);
      for (PoseRoi roi : rois) {
        double[] b = roi.bodyBounds();
        System.out.printf(
            "  roi centre (%.0f, %.0f) side %.0f angle %.1f° score %.2f; body box %.0fx%.0f at"
                + " (%.0f, %.0f)%n",
            roi.centerX(),
            roi.centerY(),
            roi.side(),
            Math.toDegrees(roi.angle()),
            roi.score(),
            b[2],
            b[3],
            b[0],
            b[1]);
        opencv_imgproc.rectangle(
            canvas,
            new Rect((int) b[0], (int) b[1], (int) b[2], (int) b[3]),
            new Scalar(0, 220, 0, 0),
            2,
            opencv_imgproc.LINE_AA,
            0);
        try (PersonCrop crop =
            PersonCrop.of(
                frame, roi.centerX(), roi.centerY(), roi.side(), roi.angle(), BlazePose.INPUT)) {
          double[][] corners = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
          for (int c = 0; c < 4; c++) {
            double[] p = corners[c];
            double[] q = corners[(c + 1) % 4];
            line(
                canvas,
                crop.frameX(p[0], p[1]),
                crop.frameY(p[0], p[1]),
                crop.frameX(q[0], q[1]),
                crop.frameY(q[0], q[1]),
                new Scalar(0, 220, 255, 0),
                1);
          }
          PoseLandmarks lm = pose.estimate(crop.image());
          for (int[] s : SKELETON) {
            if (lm.visibility(s[0]) > 0.5 && lm.visibility(s[1]) > 0.5) {
              line(
                  canvas,
                  crop.frameX(lm.x(s[0]), lm.y(s[0])),
                  crop.frameY(lm.x(s[0]), lm.y(s[0])),
                  crop.frameX(lm.x(s[1]), lm.y(s[1])),
                  crop.frameY(lm.x(s[1]), lm.y(s[1])),
                  new Scalar(255, 255, 0, 0),
                  2);
            }
          }
        }
      }
    }
    if (!opencv_imgcodecs.imwrite(out, canvas)) {
      throw new IllegalStateException("could not write " + out);
    }
    System.out.println("wrote " + out);
  }

  private static void line(
      Mat canvas, double x0, double y0, double x1, double y1, Scalar colour, int thickness) {
    opencv_imgproc.line(
        canvas,
        new Point((int) Math.round(x0), (int) Math.round(y0)),
        new Point((int) Math.round(x1), (int) Math.round(y1)),
        colour,
        thickness,
        opencv_imgproc.LINE_AA,
        0);
  }
}
