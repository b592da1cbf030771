package io.megastream.train.mega;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a MEGA training run. Validated on construction.
 *
 * @param kafka client properties used to replay the mocap topic
 * @param stage {@code PRETRAIN} (tokens only) or {@code POSE} (conditioned on landmarks)
 * @param size network size: {@code tiny}, {@code lite} or {@code paper}
 * @param tokenizerDir the tokenizer whose tokens MEGA predicts
 * @param pretrainedDir stage 2 starts from this stage-1 model (null: from scratch)
 * @param backboneDir the pre-trained image backbone ({@code IMAGE} stage only)
 * @param workDir checkpoints live here; a run with the same directory resumes
 * @param outDir the finished model is written here
 * @param steps total optimisation steps of the schedule
 * @param batchSize samples per step
 * @param learningRate peak learning rate
 * @param checkpointEvery steps between checkpoints and held-out evaluations
 * @param heldOutEvery every n-th subject is held out
 * @param frameStride use every n-th mocap frame
 * @param fullMaskShare extra share of fully masked samples (the deterministic mode's input)
 * @param seed seed of sampling, masking and synthetic cameras
 * @param maxMinutes stop (with a checkpoint) after this many minutes; 0 = no limit
 * @param canonicalPose {@code POSE} stage: read the landmarks in the torso's closed-form frame and
 *     predict the rotation relative to it
 * @param renderedPeople {@code POSE} stage: people rendered and read by real BlazePose once, before
 *     training, whose landmarks replace synthesised ones in a share of the batch (0: none)
 * @param renderedShare the share of each batch drawn from those people, 0..1
 * @param renderedOcclusion rendered people hidden more than this share are not used (0..1)
 */
public record MegaJobConfig(
    Map<String, Object> kafka,
    Stage stage,
    String size,
    Path tokenizerDir,
    Path pretrainedDir,
    Path backboneDir,
    Path workDir,
    Path outDir,
    int steps,
    int batchSize,
    float learningRate,
    int checkpointEvery,
    int heldOutEvery,
    int frameStride,
    double fullMaskShare,
    long seed,
    double maxMinutes,
    boolean canonicalPose,
    int renderedPeople,
    double renderedShare,
    double renderedOcclusion) {

  /** Rendered people up to this occlusion by default (the benchmark tests up to 70 %). */
  public static final double DEFAULT_RENDERED_OCCLUSION = 0.7;

  /** Training stages. */
  public enum Stage {
    /** Stage 1: mesh tokens of the {@code mocap} topic alone. */
    PRETRAIN,
    /** Stage 2, {@code pose} conditioning: landmarks synthesised from {@code mocap} bodies. */
    POSE,
    /** Stage 2, {@code image} conditioning: crops from the {@code frames}/{@code labels} topics. */
    IMAGE
  }

  public MegaJobConfig {
    kafka = Map.copyOf(Objects.requireNonNull(kafka, "kafka"));
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(tokenizerDir, "tokenizerDir");
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(outDir, "outDir");
    if ((stage == Stage.IMAGE) != (backboneDir != null)) {
      throw new IllegalArgumentException("the image stage, and only it, needs a backbone");
    }
    if (!java.util.Set.of("tiny", "lite", "paper").contains(size)) {
      throw new IllegalArgumentException("size must be tiny, lite or paper, was " + size);
    }
    if (steps < 1 || batchSize < 1 || checkpointEvery < 1 || heldOutEvery < 2 || frameStride < 1) {
      throw new IllegalArgumentException(
          "steps, batch size, checkpoint interval and stride must be >= 1, held-out every >= 2");
    }
    if (canonicalPose && stage != Stage.POSE) {
      throw new IllegalArgumentException("canonical pose is for the pose stage only");
    }
    if (renderedPeople < 0
        || renderedShare < 0
        || renderedShare > 1
        || !(renderedOcclusion > 0 && renderedOcclusion <= 1)) {
      throw new IllegalArgumentException(
          "rendered people >= 0, their share in [0, 1] and their occlusion in (0, 1]");
    }
    if (renderedPeople > 0 && stage != Stage.POSE) {
      throw new IllegalArgumentException("rendered people are for the pose stage only");
    }
    if (!(learningRate > 0) || fullMaskShare < 0 || fullMaskShare > 1) {
      throw new IllegalArgumentException("learning rate > 0 and full-mask share in [0, 1]");
    }
  }
}
