package io.megastream.train.tokenizer;

import io.megastream.mega.tokenizer.TokenizerConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a tokenizer training run. Validated on construction.
 *
 * @param kafka client properties used to replay the mocap topic
 * @param workDir checkpoints live here; a run with the same directory resumes
 * @param outDir the final tokenizer is written here
 * @param steps total optimisation steps of the schedule (a resumed run continues to this)
 * @param batchSize meshes per step
 * @param learningRate peak learning rate
 * @param checkpointEvery steps between checkpoints (and held-out evaluations)
 * @param heldOutEvery every n-th subject is held out (never trained on)
 * @param frameStride use every n-th frame of a sequence (neighbouring frames are near-duplicates)
 * @param seed seed of batch sampling
 * @param maxMinutes stop (with a checkpoint) after this many minutes; 0 = no limit
 * @param architecture tokenizer architecture, or null for {@link TokenizerConfig#defaults}
 */
public record TokenizerJobConfig(
    Map<String, Object> kafka,
    Path workDir,
    Path outDir,
    int steps,
    int batchSize,
    float learningRate,
    int checkpointEvery,
    int heldOutEvery,
    int frameStride,
    long seed,
    double maxMinutes,
    TokenizerConfig architecture) {

  public TokenizerJobConfig {
    kafka = Map.copyOf(Objects.requireNonNull(kafka, "kafka"));
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(outDir, "outDir");
    if (steps < 1 || batchSize < 1 || checkpointEvery < 1 || heldOutEvery < 2 || frameStride < 1) {
      throw new IllegalArgumentException(
          "steps, batch size, checkpoint interval and stride must be >= 1, held-out every >= 2");
    }
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learning rate must be positive");
    }
  }
}
