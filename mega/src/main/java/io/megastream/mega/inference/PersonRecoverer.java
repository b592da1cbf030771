package io.megastream.mega.inference;

import io.megastream.mega.model.MegaGenerator;
import io.megastream.mega.model.MegaModel;
import io.megastream.mega.model.Uncertainty;
import io.megastream.mega.pose.PoseLandmarks;
import io.megastream.mega.tokenizer.TokenizerModel;
import io.megastream.pose.CropWindow;
import io.megastream.pose.PersonCrop;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The whole per-person inference path behind one call, in Java types: crop each person box, run the
 * model's {@link Conditioner} (BlazePose for {@code pose} models, the CNN for {@code image} ones),
 * run MEGA's deterministic pass on all persons of a batch at once, and, in adaptive mode, sample
 * the persons whose cheap uncertainty signal (1 − mean max-probability) crosses the threshold;
 * stochastic results carry the Q token sequences and the per-vertex uncertainty of their decoded
 * meshes. Not thread-safe: one instance per worker thread.
 */
public final class PersonRecoverer implements AutoCloseable {

  /** When to sample. */
  public enum Mode {
    DETERMINISTIC,
    STOCHASTIC,
    ADAPTIVE
  }

  /**
   * Options.
   *
   * @param mode when the stochastic mode runs
   * @param threshold adaptive mode: sample when 1 − confidence exceeds this
   * @param sampling Q, T and temperature of the stochastic mode
   * @param seed seed of the stochastic mode (mixed with each person's index in the batch)
   */
  public record Options(Mode mode, double threshold, MegaGenerator.Sampling sampling, long seed) {
    public Options {
      Objects.requireNonNull(mode, "mode");
      Objects.requireNonNull(sampling, "sampling");
      if (threshold < 0 || threshold > 1) {
        throw new IllegalArgumentException("threshold must be in [0, 1], was " + threshold);
      }
    }
  }

  /** A person box in frame pixels. */
  public record Box(double x, double y, double width, double height, CropWindow roi) {

    /** A box without a detector ROI: the crop is the square around it. */
    public Box(double x, double y, double width, double height) {
      this(x, y, width, height, null);
    }

    /** The crop the person is seen through: the detector's ROI, else the square around the box. */
    public CropWindow window() {
      return roi != null ? roi : CropWindow.around(x, y, width, height);
    }
  }

  /**
   * One recovered person.
   *
   * @param tokens the deterministic (or, when sampled, the first sample's) 54 tokens
   * @param rotCam 6D rotation and weak-perspective camera (crop-centred units)
   * @param crop the crop the landmarks and camera refer to
   * @param landmarks BlazePose's output on the crop ({@code pose} models; null otherwise)
   * @param confidence mean max-probability of the deterministic pass
   * @param entropy mean entropy of the deterministic pass, nats
   * @param samples Q token sequences when the stochastic mode ran, else null
   * @param uncertainty per-vertex uncertainty of the samples, else null
   * @param conditionMillis conditioning time for this person (BlazePose or the CNN)
   * @param samplingSkipped the mode wanted to sample this person but the call's sampling budget was
   *     spent: the result is the deterministic pass
   */
  public record Person(
      int[] tokens,
      float[] rotCam,
      CropWindow crop,
      PoseLandmarks landmarks,
      float confidence,
      float entropy,
      int[][] samples,
      Uncertainty uncertainty,
      double conditionMillis,
      boolean samplingSkipped) {

    public boolean stochastic() {
      return samples != null;
    }
  }

  /** A batch's people and its model time. */
  public record Result(List<Person> persons, double megaMillis) {}

  private final MegaModel mega;
  private final TokenizerModel tokenizer;
  private final Conditioner conditioner;
  private final MegaGenerator generator;
  private final Options options;

  /**
   * @param mega a conditioned model
   * @param tokenizer decodes samples for their uncertainty
   * @param conditioner what the model is conditioned on (owned by this instance from now on)
   * @throws IllegalArgumentException if the conditioner does not feed this model
   */
  public PersonRecoverer(
      MegaModel mega, TokenizerModel tokenizer, Conditioner conditioner, Options options) {
    if (mega.conditioning() != conditioner.kind()) {
      conditioner.close();
      throw new IllegalArgumentException(
          "a "
              + conditioner.kind()
              + " conditioner cannot feed a model conditioned on "
              + mega.conditioning());
    }
    this.mega = mega;
    this.tokenizer = tokenizer;
    this.conditioner = conditioner;
    this.generator = new MegaGenerator(mega);
    this.options = options;
  }

  /**
   * Recovers every person of a batch; one deterministic pass for all of them.
   *
   * @param frames 8-bit BGR frames
   * @param boxes per frame, its person boxes
   */
  public Result recover(List<Mat> frames, List<List<Box>> boxes) {
    return recover(frames, boxes, Integer.MAX_VALUE);
  }

  /**
   * The same, sampling at most {@code maxSampled} persons: of those the mode would sample, the
   * least confident ones; the others keep the deterministic pass and say so ({@link
   * Person#samplingSkipped}). Bounds the call's cost: one sampled person costs Q·T passes.
   */
  public Result recover(List<Mat> frames, List<List<Box>> boxes, int maxSampled) {
    return recover(frames, boxes, maxSampled, () -> false);
  }

  /**
   * The same, checking {@code cancelled} before each sampled person, so a caller that must stop
   * waits for one deterministic pass or one person's sampling at most.
   *
   * @throws java.util.concurrent.CancellationException if {@code cancelled} turned true
   */
  public Result recover(
      List<Mat> frames,
      List<List<Box>> boxes,
      int maxSampled,
      java.util.function.BooleanSupplier cancelled) {
    return recover(
        frames, boxes, new Limits(maxSampled, options.threshold(), Long.MAX_VALUE), cancelled);
  }

  /**
   * How much of the stochastic mode one call may spend. A person the mode would sample but a limit
   * keeps from it gets the deterministic pass and says so ({@link Person#samplingSkipped}).
   *
   * @param maxSampled persons sampled at most (the least confident first)
   * @param threshold adaptive mode: the threshold on 1 − confidence in force, at or above the
   *     configured one (a worker that has fallen behind raises it); ≥ 1 samples nobody
   * @param deadlineNanos {@link System#nanoTime} after which no sampling may still run: a person is
   *     sampled only if the last sampling's duration still fits before it ({@link Long#MAX_VALUE}:
   *     none)
   */
  public record Limits(int maxSampled, double threshold, long deadlineNanos) {
    /** The same limits with {@code persons} left to sample. */
    public Limits withMaxSampled(int persons) {
      return new Limits(persons, threshold, deadlineNanos);
    }
  }

  /** The same within {@code limits}. */
  public Result recover(
      List<Mat> frames,
      List<List<Box>> boxes,
      int maxSampled,
      double threshold,
      java.util.function.BooleanSupplier cancelled) {
    return recover(frames, boxes, new Limits(maxSampled, threshold, Long.MAX_VALUE), cancelled);
  }

  /** The same within {@code limits}. */
  public Result recover(
      List<Mat> frames,
      List<List<Box>> boxes,
      Limits limits,
      java.util.function.BooleanSupplier cancelled) {
    List<CropWindow> windows = new ArrayList<>();
    List<Mat> crops = new ArrayList<>();
    try {
      for (int f = 0; f < frames.size(); f++) {
        for (Box b : boxes.get(f)) {
          CropWindow w = b.window();
          PersonCrop crop =
              PersonCrop.of(
                  frames.get(f),
                  w.centerX(),
                  w.centerY(),
                  w.side(),
                  w.angle(),
                  conditioner.cropSize());
          crops.add(crop.image());
          windows.add(w);
        }
      }
      if (crops.isEmpty()) {
        return new Result(List.of(), 0);
      }
      return run(conditioner.condition(crops), windows, limits, cancelled);
    } finally {
      crops.forEach(Mat::close);
    }
  }

  private Result run(
      Conditioner.Output conditioned,
      List<CropWindow> windows,
      Limits limits,
      java.util.function.BooleanSupplier cancelled) {
    long t0 = System.nanoTime();
    float[][] features = conditioned.features();
    MegaGenerator.Prediction[] det = generator.deterministic(features);
    List<Integer> wanted = new ArrayList<>();
    for (int i = 0; i < det.length; i++) {
      boolean want =
          switch (options.mode()) {
            case DETERMINISTIC -> false;
            case STOCHASTIC -> true;
            case ADAPTIVE -> 1 - det[i].confidence() > options.threshold();
          };
      if (want) {
        wanted.add(i);
      }
    }
    // over budget or under a raised threshold: the least confident are sampled, the rest keep
    // the deterministic pass
    wanted.sort(java.util.Comparator.comparingDouble(i -> det[i].confidence()));
    List<Integer> affordable =
        options.mode() == Mode.ADAPTIVE
            ? wanted.stream().filter(i -> 1 - det[i].confidence() > limits.threshold()).toList()
            : wanted;
    java.util.Set<Integer> sampled =
        new java.util.HashSet<>(
            affordable.subList(0, Math.min(affordable.size(), Math.max(0, limits.maxSampled()))));
    List<Person> persons = new ArrayList<>();
    for (int i = 0; i < det.length; i++) {
      MegaGenerator.Prediction p = det[i];
      int[][] samples = null;
      Uncertainty u = null;
      if (sampled.contains(i) && System.nanoTime() + lastSampleNanos > limits.deadlineNanos()) {
        sampled.remove(i); // would end past the deadline: the deterministic pass it is
      }
      if (sampled.contains(i)) {
        if (cancelled.getAsBoolean()) {
          throw new java.util.concurrent.CancellationException("recovery cancelled");
        }
        long s0 = System.nanoTime();
        samples = generator.sample(features[i], options.sampling(), options.seed() + i);
        u = Uncertainty.of(tokenizer.decode(samples));
        lastSampleNanos = System.nanoTime() - s0;
      }
      persons.add(
          new Person(
              p.tokens(),
              p.rotCam(),
              windows.get(i),
              conditioned.landmarks().get(i),
              p.confidence(),
              p.entropy(),
              samples,
              u,
              conditioned.millis()[i],
              !sampled.contains(i) && wanted.contains(i)));
    }
    return new Result(persons, (System.nanoTime() - t0) / 1e6);
  }

  /**
   * Runs every path once on a blank crop: BlazePose (or the backbone), the deterministic pass and,
   * unless the mode never samples, one sampling with its decode. The first real call then does not
   * pay for the native libraries' first-use set-up (measured by {@code SamplingCostBench}: cold 328
   * ms against warm 54 ms deterministic, 1,224 against 861 ms sampled).
   *
   * @return how long it took, milliseconds
   */
  public double warmUp() {
    long t0 = System.nanoTime();
    int side = conditioner.cropSize();
    try (Mat blank =
        new Mat(
            side,
            side,
            org.bytedeco.opencv.global.opencv_core.CV_8UC3,
            new org.bytedeco.opencv.opencv_core.Scalar(128, 128, 128, 0))) {
      float[][] features = conditioner.condition(List.of(blank)).features();
      generator.deterministic(features);
      if (options.mode() != Mode.DETERMINISTIC) {
        tokenizer.decode(generator.sample(features[0], options.sampling(), options.seed()));
      }
    }
    return (System.nanoTime() - t0) / 1e6;
  }

  /** How long the last person's sampling took (0 before the first): what a deadline must fit. */
  private volatile long lastSampleNanos;

  public MegaModel model() {
    return mega;
  }

  @Override
  public void close() {
    conditioner.close();
  }
}
