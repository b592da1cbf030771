package io.megastream.train.tokenizer;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.tokenizer.TokenizerConfig;
import io.megastream.mega.tokenizer.TokenizerLoadException;
import io.megastream.mega.tokenizer.TokenizerMetrics;
import io.megastream.mega.tokenizer.TokenizerModel;
import io.megastream.mega.tokenizer.TokenizerTrainer;
import io.megastream.train.mocap.MocapReader;
import io.megastream.train.mocap.SubjectSplit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code megastream train tokenizer}: replays the {@code mocap} topic, holds out whole subjects
 * (their shapes and clips are never trained on), trains the Mesh-VQ-VAE with checkpoints every few
 * hundred steps, resumes from the last checkpoint in the work directory, and writes the final
 * tokenizer with its held-out metrics. Not thread-safe.
 */
public final class TokenizerTrainingJob {

  private static final Logger log = LoggerFactory.getLogger(TokenizerTrainingJob.class);

  /** The outcome of a run. */
  public record Result(
      int steps, boolean finished, TokenizerMetrics heldOut, double cpuSeconds, Path output) {}

  private final TokenizerJobConfig config;

  public TokenizerTrainingJob(TokenizerJobConfig config) {
    this.config = config;
  }

  /**
   * Runs (or resumes) training.
   *
   * @throws IOException if checkpoints cannot be written
   * @throws TokenizerLoadException if an existing checkpoint cannot be loaded
   */
  public Result run() throws IOException, TokenizerLoadException {
    long cpuStart = SubjectSplit.cpuNanos();
    long wallStart = System.nanoTime();
    MocapReader.Result mocap = new MocapReader(config.kafka()).readAll(Duration.ofMinutes(10));
    SubjectSplit split =
        SubjectSplit.of(mocap.sequences(), config.heldOutEvery(), config.frameStride());
    log.info(
        "mocap: {} sequences ({} records, {} rejected) from {}; train {} frames of {} subjects, held out {} frames of {} subjects",
        mocap.sequences().size(),
        mocap.records(),
        mocap.rejected(),
        mocap.provenance(),
        split.train().size(),
        split.trainSubjects().size(),
        split.heldOut().size(),
        split.heldOutSubjects().size());
    if (split.train().isEmpty() || split.heldOut().isEmpty()) {
      throw new IllegalStateException("not enough mocap data: need training and held-out subjects");
    }
    SkinnedBodyModel body = ProceduralBody.build();
    Path checkpoint = config.workDir().resolve("checkpoint");
    TokenizerModel model;
    int startStep = 0;
    double previousCpu = 0;
    if (Files.isRegularFile(checkpoint.resolve(TokenizerModel.NAME + ".json"))) {
      model = TokenizerModel.load(checkpoint, body);
      TokenizerModel.Manifest m = TokenizerModel.readManifest(checkpoint);
      startStep = m.steps;
      previousCpu = ((Number) m.metrics.getOrDefault("cpu_seconds", 0.0)).doubleValue();
      log.info("resuming from {} at step {}", checkpoint, startStep);
    } else {
      model =
          TokenizerModel.create(
              body,
              config.architecture() != null
                  ? config.architecture()
                  : TokenizerConfig.defaults(body.vertexCount()));
    }
    List<BodyParams> evalSet = SubjectSplit.spread(split.heldOut(), 512);
    TokenizerMetrics metrics = null;
    boolean finished;
    try (model;
        TokenizerTrainer trainer =
            new TokenizerTrainer(
                model,
                config.batchSize(),
                config.steps(),
                config.learningRate(),
                startStep,
                config.seed() + startStep);
        ProgressBar bar =
            new ProgressBarBuilder()
                .setTaskName("tokenizer")
                .setInitialMax(config.steps())
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(2000)
                .build()) {
      bar.stepTo(startStep);
      long deadline =
          config.maxMinutes() > 0
              ? wallStart + (long) (config.maxMinutes() * 60e9)
              : Long.MAX_VALUE;
      // the time limit is checked after each checkpoint, so every run makes progress
      while (trainer.step() < config.steps()) {
        int chunk = Math.min(config.checkpointEvery(), config.steps() - trainer.step());
        double trainPve = trainer.train(split.train(), chunk, bar::stepTo);
        metrics = trainer.evaluate(evalSet);
        bar.setExtraMessage(
            String.format(
                " train %.1f mm, held-out %.1f mm, ppl %.0f",
                trainPve, metrics.pveMm(), metrics.perplexity()));
        double cpu = previousCpu + (SubjectSplit.cpuNanos() - cpuStart) / 1e9;
        save(model, checkpoint, trainer.step(), metrics, cpu, mocap, split, trainPve);
        log.info(
            "step {}: train PVE {} mm; held-out {}",
            trainer.step(),
            String.format("%.1f", trainPve),
            metrics);
        if (System.nanoTime() > deadline) {
          break;
        }
      }
      finished = trainer.step() >= config.steps();
      if (metrics == null) {
        metrics = trainer.evaluate(evalSet);
      }
      double cpu = previousCpu + (SubjectSplit.cpuNanos() - cpuStart) / 1e9;
      if (finished) {
        TokenizerMetrics full = model.evaluate(split.heldOut(), config.batchSize());
        save(model, config.outDir(), trainer.step(), full, cpu, mocap, split, Double.NaN);
        metrics = full;
      }
      return new Result(
          trainer.step(), finished, metrics, cpu, finished ? config.outDir() : checkpoint);
    }
  }

  private void save(
      TokenizerModel model,
      Path dir,
      int step,
      TokenizerMetrics m,
      double cpuSeconds,
      MocapReader.Result mocap,
      SubjectSplit split,
      double trainPve)
      throws IOException {
    TokenizerModel.Manifest manifest = new TokenizerModel.Manifest();
    manifest.version = "tokenizer-" + Instant.now().toString();
    manifest.steps = step;
    manifest.metrics.put("held_out_pve_mm", m.pveMm());
    manifest.metrics.put("held_out_mpjpe_mm", m.mpjpeMm());
    manifest.metrics.put("perplexity", m.perplexity());
    manifest.metrics.put("dead_codes", m.deadCodes());
    manifest.metrics.put("held_out_meshes", m.meshes());
    if (!Double.isNaN(trainPve)) {
      manifest.metrics.put("train_pve_mm", trainPve);
    }
    manifest.metrics.put("cpu_seconds", cpuSeconds);
    manifest.provenance.put("mocap", mocap.provenance());
    manifest.provenance.put("train_subjects", split.trainSubjects().size());
    manifest.provenance.put("held_out_subjects", new ArrayList<>(split.heldOutSubjects()));
    manifest.provenance.put("batch_size", config.batchSize());
    manifest.provenance.put("learning_rate", config.learningRate());
    manifest.provenance.put("schedule_steps", config.steps());
    manifest.provenance.put("frame_stride", config.frameStride());
    manifest.provenance.put("seed", config.seed());
    model.save(dir, manifest);
  }

  /** Metrics as a flat map, for printing. */
  public static Map<String, Object> describe(Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("steps", r.steps());
    m.put("finished", r.finished());
    m.put("held_out", r.heldOut().toString());
    m.put("cpu_seconds", Math.round(r.cpuSeconds()));
    m.put("output", r.output().toString());
    return m;
  }
}
