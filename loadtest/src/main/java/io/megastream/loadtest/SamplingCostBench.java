package io.megastream.loadtest;

import io.megastream.mega.inference.PersonRecoverer;
import io.megastream.mega.model.MegaGenerator;
import io.megastream.mega.pose.BlazePose;
import io.megastream.recover.model.LoadedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * What the stochastic mode costs the worker per call, through the worker's own path ({@link
 * LoadedModel}, the bundled model and tokenizer, BlazePose full): one frame with P persons, every
 * one sampled (Q=8 samples, T=8 steps, the worker's default), for P = 1, 2, 4. Prints the first
 * (cold) call and the median of the warm ones, in milliseconds, against the same call in the
 * deterministic mode. Run: {@code loadtest/run-sampling-bench.sh [reps=5]}.
 */
public final class SamplingCostBench {

  private SamplingCostBench() {}

  public static void main(String[] args) throws Exception {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path model = Path.of(args.length > 1 ? args[1] : "models/mega");
    Path tokenizer = Path.of(args.length > 2 ? args[2] : "models/tokenizer");
    MegaGenerator.Sampling sampling = MegaGenerator.Sampling.conditional(8, 8, 1.0);
    System.out.printf("%-34s %10s %14s%n", "call", "cold ms", "warm median ms");
    for (PersonRecoverer.Mode mode :
        new PersonRecoverer.Mode[] {
          PersonRecoverer.Mode.DETERMINISTIC, PersonRecoverer.Mode.STOCHASTIC
        }) {
      try (LoadedModel m =
              LoadedModel.load(
                  model,
                  tokenizer,
                  BlazePose.Variant.FULL,
                  BlazePose.Engine.TFLITE,
                  new PersonRecoverer.Options(mode, 0.0, sampling, 1));
          Mat frame = new Mat(480, 640, opencv_core.CV_8UC3, new Scalar(90, 120, 150, 0))) {
        for (int persons : new int[] {1, 2, 4}) {
          List<PersonRecoverer.Box> boxes = new ArrayList<>();
          for (int i = 0; i < persons; i++) {
            boxes.add(new PersonRecoverer.Box(60 + i * 130, 120, 90, 240, null));
          }
          double[] ms = new double[reps + 1];
          for (int r = 0; r <= reps; r++) {
            long t0 = System.nanoTime();
            m.recoverer().recover(List.of(frame), List.of(boxes), persons);
            ms[r] = (System.nanoTime() - t0) / 1e6;
          }
          double[] warm = Arrays.copyOfRange(ms, 1, ms.length);
          Arrays.sort(warm);
          System.out.printf(
              "%-34s %10.0f %14.0f%n",
              mode.name().toLowerCase(java.util.Locale.ROOT) + ", " + persons + " person(s)",
              ms[0],
              warm[warm.length / 2]);
        }
      }
    }
  }
}
