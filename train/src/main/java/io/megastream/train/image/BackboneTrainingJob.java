package io.megastream.train.image;

import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.image.BackboneTrainer;
import io.megastream.mega.image.ImageBackbone;
import io.megastream.mega.model.MegaLoadException;
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
import java.util.Random;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code megastream train backbone}: pre-trains the {@code image} conditioning's CNN on 2D joints
 * of rendered people, read back from the {@code frames} and {@code labels} topics a synthetic
 * camera filled (the paper's backbone is pre-trained on 2D pose). Whole cameras are held out; the
 * held-out metric is the mean 2D joint error as a fraction of the crop side. Checkpoints and
 * resumes like the other training jobs. Not thread-safe.
 */
public final class BackboneTrainingJob {

  private static final Logger log = LoggerFactory.getLogger(BackboneTrainingJob.class);

  /** The outcome of a run. */
  public record Result(
      int steps, boolean finished, Map<String, Double> heldOut, double cpuSeconds, Path output) {}

  private final BackboneJobConfig config;

  public BackboneTrainingJob(BackboneJobConfig config) {
    this.config = config;
  }

  /**
   * Runs (or resumes) training.
   *
   * @throws IOException if checkpoints cannot be written
   * @throws MegaLoadException if the checkpoint cannot be loaded
   */
  public Result run() throws IOException, MegaLoadException {
    long cpuStart = SubjectSplit.cpuNanos();
    long wallStart = System.nanoTime();
    LabelledCrops.Result data =
        new LabelledCrops(config.kafka(), ProceduralBody.build())
            .read(config.crops(), Duration.ofMinutes(10));
    CameraSplit split = CameraSplit.of(data.crops(), config.heldOutEvery());
    List<BackboneTrainer.Example> heldOut = new ArrayList<>();
    for (LabelledCrops.Crop c : split.heldOut()) {
      heldOut.add(example(c));
    }
    log.info(
        "{} training crops, {} held out (cameras {})",
        split.train().size(),
        heldOut.size(),
        split.heldOutCameras());
    Path checkpoint = config.workDir().resolve("checkpoint");
    int startStep = 0;
    double previousCpu = 0;
    ImageBackbone backbone;
    if (Files.isRegularFile(checkpoint.resolve(ImageBackbone.NAME + ".json"))) {
      backbone = ImageBackbone.load(checkpoint);
      ImageBackbone.Manifest m = ImageBackbone.readManifest(checkpoint);
      startStep = m.steps;
      previousCpu = ((Number) m.metrics.getOrDefault("cpu_seconds", 0.0)).doubleValue();
      log.info("resuming from {} at step {}", checkpoint, startStep);
    } else {
      backbone = ImageBackbone.create();
    }
    log.info("image backbone: {} parameters", backbone.parameterCount());
    Random random = new Random(config.crops().seed() + startStep);
    Map<String, Double> metrics = new LinkedHashMap<>();
    try (backbone;
        BackboneTrainer trainer =
            new BackboneTrainer(backbone, config.learningRate(), config.steps(), startStep);
        ProgressBar bar =
            new ProgressBarBuilder()
                .setTaskName("backbone")
                .setInitialMax(config.steps())
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(2000)
                .build()) {
      bar.stepTo(startStep);
      long deadline =
          config.maxMinutes() > 0
              ? wallStart + (long) (config.maxMinutes() * 60e9)
              : Long.MAX_VALUE;
      double loss = 0;
      int counted = 0;
      while (trainer.step() < config.steps()) {
        List<BackboneTrainer.Example> batch = new ArrayList<>(config.batchSize());
        for (int b = 0; b < config.batchSize(); b++) {
          batch.add(example(split.train().get(random.nextInt(split.train().size()))));
        }
        BackboneTrainer.StepStats s = trainer.step(batch);
        if (Double.isFinite(s.loss())) {
          loss += s.jointError();
          counted++;
        }
        bar.stepTo(trainer.step());
        if (trainer.step() % config.checkpointEvery() == 0 || trainer.step() == config.steps()) {
          metrics = new LinkedHashMap<>();
          double error = 0;
          int batches = 0;
          for (int start = 0; start < heldOut.size(); start += config.batchSize()) {
            error +=
                trainer
                    .evaluate(
                        heldOut.subList(
                            start, Math.min(heldOut.size(), start + config.batchSize())))
                    .jointError();
            batches++;
          }
          metrics.put("held_out_joint_error", error / batches);
          metrics.put("train_joint_error", counted == 0 ? Double.NaN : loss / counted);
          loss = 0;
          counted = 0;
          metrics.put("cpu_seconds", previousCpu + (SubjectSplit.cpuNanos() - cpuStart) / 1e9);
          bar.setExtraMessage(
              String.format(
                  " held-out 2D error %.3f of the crop", metrics.get("held_out_joint_error")));
          save(backbone, checkpoint, trainer.step(), metrics, data, split);
          log.info("step {}: {}", trainer.step(), metrics);
          if (System.nanoTime() > deadline) {
            break;
          }
        }
      }
      boolean finished = trainer.step() >= config.steps();
      double cpu = previousCpu + (SubjectSplit.cpuNanos() - cpuStart) / 1e9;
      if (finished) {
        save(backbone, config.outDir(), trainer.step(), metrics, data, split);
      }
      return new Result(
          trainer.step(), finished, metrics, cpu, finished ? config.outDir() : checkpoint);
    }
  }

  private static BackboneTrainer.Example example(LabelledCrops.Crop c) {
    return new BackboneTrainer.Example(ImageBackbone.input(c.bgr()), c.joints2d());
  }

  private void save(
      ImageBackbone backbone,
      Path dir,
      int step,
      Map<String, Double> metrics,
      LabelledCrops.Result data,
      CameraSplit split)
      throws IOException {
    ImageBackbone.Manifest m = new ImageBackbone.Manifest();
    m.version = "backbone-" + Instant.now();
    m.steps = step;
    m.metrics.putAll(metrics);
    m.provenance.put("data", data.provenance());
    m.provenance.put("crops", data.crops().size());
    m.provenance.put("held_out_cameras", split.heldOutCameras());
    m.provenance.put("batch_size", config.batchSize());
    m.provenance.put("learning_rate", config.learningRate());
    m.provenance.put("schedule_steps", config.steps());
    m.provenance.put("jitters", config.crops().jitters());
    m.provenance.put("seed", config.crops().seed());
    backbone.save(dir, m);
  }
}
