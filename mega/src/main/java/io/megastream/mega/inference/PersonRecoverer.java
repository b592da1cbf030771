package io.megastream.mega.inference;

import io.megastream.mega.model.MegaGenerator;
import io.megastream.mega.model.MegaModel;
import io.megastream.mega.model.Uncertainty;
import io.megastream.mega.pose.BlazePose;
import io.megastream.mega.pose.PersonCrop;
import io.megastream.mega.pose.PoseConditioning;
import io.megastream.mega.pose.PoseLandmarks;
import io.megastream.mega.tokenizer.TokenizerModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The whole per-person inference path behind one call, in Java types: crop each person box, run
 * BlazePose, run MEGA's deterministic pass on all persons of a batch at once, and, in adaptive
 * mode, sample the persons whose cheap uncertainty signal (1 − mean max-probability) crosses the
 * threshold; stochastic results carry the Q token sequences and the per-vertex uncertainty of their
 * decoded meshes. Not thread-safe: one instance per worker thread.
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
  public record Box(double x, double y, double width, double height) {}

  /**
   * One recovered person.
   *
   * @param tokens the deterministic (or, when sampled, the first sample's) 54 tokens
   * @param rotCam 6D rotation and weak-perspective camera (crop-centred units)
   * @param crop the crop the landmarks and camera refer to
   * @param landmarks BlazePose's output on the crop
   * @param confidence mean max-probability of the deterministic pass
   * @param entropy mean entropy of the deterministic pass, nats
   * @param samples Q token sequences when the stochastic mode ran, else null
   * @param uncertainty per-vertex uncertainty of the samples, else null
   * @param poseMillis BlazePose time for this person
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
      double poseMillis) {

    public boolean stochastic() {
      return samples != null;
    }
  }

  /** Where a crop sits in its frame (centre and side, pixels). */
  public record CropWindow(double centerX, double centerY, double side) {}

  /** A batch's people and its model time. */
  public record Result(List<Person> persons, double megaMillis) {}

  private final MegaModel mega;
  private final TokenizerModel tokenizer;
  private final BlazePose pose;
  private final MegaGenerator generator;
  private final Options options;

  /**
   * @param mega a pose-conditioned model
   * @param tokenizer decodes samples for their uncertainty
   * @param pose the landmark model (owned by this instance from now on)
   * @throws IllegalArgumentException if the model is not pose-conditioned
   */
  public PersonRecoverer(
      MegaModel mega, TokenizerModel tokenizer, BlazePose pose, Options options) {
    if (mega.conditioning() != MegaModel.Conditioning.POSE) {
      throw new IllegalArgumentException(
          "the recoverer runs pose-conditioned models; this one is " + mega.conditioning());
    }
    this.mega = mega;
    this.tokenizer = tokenizer;
    this.pose = pose;
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
    List<PoseLandmarks> landmarks = new ArrayList<>();
    List<CropWindow> windows = new ArrayList<>();
    List<Double> poseMillis = new ArrayList<>();
    for (int f = 0; f < frames.size(); f++) {
      for (Box b : boxes.get(f)) {
        try (PersonCrop crop =
            PersonCrop.of(
                frames.get(f),
                b.x(),
                b.y(),
                b.width(),
                b.height(),
                PersonCrop.PADDING,
                BlazePose.INPUT)) {
          long t0 = System.nanoTime();
          landmarks.add(pose.estimate(crop.image()));
          poseMillis.add((System.nanoTime() - t0) / 1e6);
          windows.add(new CropWindow(crop.centerX(), crop.centerY(), crop.side()));
        }
      }
    }
    if (landmarks.isEmpty()) {
      return new Result(List.of(), 0);
    }
    long t0 = System.nanoTime();
    float[][] features = new float[landmarks.size()][];
    for (int i = 0; i < features.length; i++) {
      features[i] = PoseConditioning.features(landmarks.get(i));
    }
    MegaGenerator.Prediction[] det = generator.deterministic(features);
    List<Person> persons = new ArrayList<>();
    for (int i = 0; i < det.length; i++) {
      MegaGenerator.Prediction p = det[i];
      boolean sample =
          switch (options.mode()) {
            case DETERMINISTIC -> false;
            case STOCHASTIC -> true;
            case ADAPTIVE -> 1 - p.confidence() > options.threshold();
          };
      int[][] samples = null;
      Uncertainty u = null;
      if (sample) {
        samples = generator.sample(features[i], options.sampling(), options.seed() + i);
        u = Uncertainty.of(tokenizer.decode(samples));
      }
      persons.add(
          new Person(
              p.tokens(),
              p.rotCam(),
              windows.get(i),
              landmarks.get(i),
              p.confidence(),
              p.entropy(),
              samples,
              u,
              poseMillis.get(i)));
    }
    return new Result(persons, (System.nanoTime() - t0) / 1e6);
  }

  public MegaModel model() {
    return mega;
  }

  @Override
  public void close() {
    pose.close();
  }
}
