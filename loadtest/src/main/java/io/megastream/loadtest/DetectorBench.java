package io.megastream.loadtest;

import io.megastream.ingest.detect.BlazePoseDetector;
import io.megastream.ingest.detect.HogPeopleDetector;
import io.megastream.ingest.detect.PersonDetector;
import io.megastream.pose.PoseDetector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Ingest's person detectors side by side on the frames of one real clip, in one run, one thread
 * each (as a grab thread runs them): milliseconds per frame (median, p90) and persons per frame.
 *
 * <p>Usage: {@code DetectorBench VIDEO [frames=40] [stride=10]}: every stride-th frame.
 */
public final class DetectorBench {

  private DetectorBench() {}

  public static void main(String[] args) throws Exception {
    String video = args[0];
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    int stride = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    List<Mat> frames = new ArrayList<>();
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video);
        OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
      g.start();
      Frame f;
      for (int i = 0; frames.size() < count && (f = g.grabImage()) != null; i++) {
        if (i % stride == 0) {
          frames.add(conv.convert(f).clone());
        }
      }
    }
    System.out.printf(
        "%d frames of %s (%dx%d), every %d-th; one thread per detector%n",
        frames.size(), video, frames.get(0).cols(), frames.get(0).rows(), stride);
    System.out.printf(
        "%-22s %10s %10s %14s %10s%n",
        "detector", "ms median", "ms p90", "persons/frame", "min-max");
    List<PersonDetector> detectors = new ArrayList<>();
    detectors.add(new HogPeopleDetector(640, 0.3));
    for (int tiles : new int[] {0, 2, 3, 4}) {
      detectors.add(new BlazePoseDetector(new PoseDetector.Options(0.5f, 0.3, 32, tiles)));
    }
    String[] names = {
      "hog", "blazepose tiles=0", "blazepose tiles=2", "blazepose tiles=3", "blazepose tiles=4"
    };
    for (int d = 0; d < detectors.size(); d++) {
      try (PersonDetector detector = detectors.get(d)) {
        detector.detect(frames.get(0)); // warm-up
        double[] ms = new double[frames.size()];
        int[] persons = new int[frames.size()];
        for (int i = 0; i < frames.size(); i++) {
          long t = System.nanoTime();
          persons[i] = detector.detect(frames.get(i)).size();
          ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(
            "%-22s %10.1f %10.1f %14.2f %10s%n",
            names[d],
            ms[ms.length / 2],
            ms[(int) (ms.length * 0.9)],
            Arrays.stream(persons).average().orElse(0),
            Arrays.stream(persons).min().orElse(0) + "-" + Arrays.stream(persons).max().orElse(0));
      }
    }
    frames.forEach(Mat::close);
  }
}
