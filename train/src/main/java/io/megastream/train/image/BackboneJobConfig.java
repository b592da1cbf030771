package io.megastream.train.image;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of an image-backbone pre-training run. Validated on construction.
 *
 * @param kafka client properties used to replay the frames and labels topics
 * @param workDir checkpoints live here; a run with the same directory resumes
 * @param outDir the finished backbone is written here
 * @param steps total optimisation steps of the schedule
 * @param batchSize crops per step
 * @param learningRate peak learning rate
 * @param checkpointEvery steps between checkpoints and held-out evaluations
 * @param heldOutEvery every n-th camera (sorted by id) is held out
 * @param crops which persons make crops, and how many jittered crops each
 * @param maxMinutes stop (with a checkpoint) after this many minutes; 0 = no limit
 */
public record BackboneJobConfig(
    Map<String, Object> kafka,
    Path workDir,
    Path outDir,
    int steps,
    int batchSize,
    float learningRate,
    int checkpointEvery,
    int heldOutEvery,
    LabelledCrops.Options crops,
    double maxMinutes) {

  public BackboneJobConfig {
    kafka = Map.copyOf(Objects.requireNonNull(kafka, "kafka"));
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(outDir, "outDir");
    Objects.requireNonNull(crops, "crops");
    if (steps < 1 || batchSize < 1 || checkpointEvery < 1 || heldOutEvery < 2) {
      throw new IllegalArgumentException(
          "steps, batch size and checkpoint interval must be >= 1, held-out every >= 2");
    }
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learning rate must be > 0");
    }
  }
}
