package io.megastream.train.mega;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.model.MegaConfig;
import io.megastream.mega.model.MegaGenerator;
import io.megastream.mega.model.MegaLoadException;
import io.megastream.mega.model.MegaModel;
import io.megastream.mega.model.MegaTrainer;
import io.megastream.mega.pose.BlazePose;
import io.megastream.mega.pose.LandmarkNoise;
import io.megastream.mega.pose.PoseConditioning;
import io.megastream.mega.tokenizer.MeshBatches;
import io.megastream.mega.tokenizer.TokenizerLoadException;
import io.megastream.mega.tokenizer.TokenizerModel;
import io.megastream.train.mocap.MocapReader;
import io.megastream.train.mocap.SubjectSplit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code megastream train mega}: replays the {@code mocap} topic, tokenizes every frame with the
 * bundled tokenizer, and trains MEGA: stage 1 on tokens alone, stage 2 conditioned on BlazePose
 * landmarks synthesised from the same bodies with random cameras and BlazePose's measured noise.
 * Whole subjects are held out. Checkpoints every few hundred steps; a run resumes from the last
 * one. Held-out metrics: masked-token accuracy and, for stage 2, the deterministic mode's token
 * accuracy and mesh error (PVE of the decoded canonical mesh, mm). Not thread-safe.
 */
public final class MegaTrainingJob {

  private static final Logger log = LoggerFactory.getLogger(MegaTrainingJob.class);

  /** The outcome of a run. */
  public record Result(
      int steps, boolean finished, Map<String, Double> heldOut, double cpuSeconds, Path output) {}

  private final MegaJobConfig config;

  public MegaTrainingJob(MegaJobConfig config) {
    this.config = config;
  }

  /**
   * Runs (or resumes) training.
   *
   * @throws IOException if checkpoints cannot be written
   * @throws TokenizerLoadException if the tokenizer cannot be loaded
   * @throws MegaLoadException if a checkpoint or the pre-trained model cannot be loaded
   */
  public Result run() throws IOException, TokenizerLoadException, MegaLoadException {
    long cpuStart = SubjectSplit.cpuNanos();
    long wallStart = System.nanoTime();
    SkinnedBodyModel body = ProceduralBody.build();
    try (TokenizerModel tokenizer = TokenizerModel.load(config.tokenizerDir(), body)) {
      String tokenizerVersion = TokenizerModel.readManifest(config.tokenizerDir()).version;
      Data data =
          config.stage() == MegaJobConfig.Stage.IMAGE
              ? imageData(body, tokenizer)
              : mocapData(body, tokenizer);
      Path checkpoint = config.workDir().resolve("checkpoint");
      int startStep = 0;
      double previousCpu = 0;
      MegaModel model;
      if (Files.isRegularFile(checkpoint.resolve(MegaModel.NAME + ".json"))) {
        model = MegaModel.load(checkpoint);
        MegaModel.Manifest m = MegaModel.readManifest(checkpoint);
        startStep = m.steps;
        previousCpu = ((Number) m.metrics.getOrDefault("cpu_seconds", 0.0)).doubleValue();
        log.info("resuming from {} at step {}", checkpoint, startStep);
      } else {
        model = MegaModel.create(size(), conditioning(), config.canonicalPose());
        if (config.pretrainedDir() != null) {
          try (MegaModel pre = MegaModel.load(config.pretrainedDir())) {
            List<String> copied = model.copyMatchingParameters(pre);
            log.info(
                "started from {}: {} parameter arrays copied",
                config.pretrainedDir(),
                copied.size());
          }
        }
      }
      log.info("MEGA {} {}: {} parameters", config.size(), config.stage(), model.parameterCount());
      boolean conditioned = config.stage() != MegaJobConfig.Stage.PRETRAIN;
      List<MegaTrainer.Example> heldOut = data.heldOut();
      List<BodyParams> heldOutFrames = data.heldOutBodies();
      Random random = new Random(config.seed() + startStep);
      Map<String, Double> metrics = new LinkedHashMap<>();
      try (model;
          MegaTrainer trainer =
              new MegaTrainer(
                  model,
                  new MegaTrainer.Options(
                      config.batchSize(),
                      config.steps(),
                      config.learningRate(),
                      startStep,
                      config.fullMaskShare(),
                      conditioned ? 1f : 0f,
                      config.seed()));
          ProgressBar bar =
              new ProgressBarBuilder()
                  .setTaskName("mega-" + config.stage().name().toLowerCase(java.util.Locale.ROOT))
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
          List<MegaTrainer.Example> batch = new ArrayList<>(config.batchSize());
          for (int b = 0; b < config.batchSize(); b++) {
            batch.add(data.draw().apply(random));
          }
          MegaTrainer.StepStats s = trainer.step(batch);
          if (Double.isFinite(s.tokenLoss())) {
            loss += s.tokenLoss();
            counted++;
          }
          bar.stepTo(trainer.step());
          if (trainer.step() % config.checkpointEvery() == 0 || trainer.step() == config.steps()) {
            metrics = evaluate(model, trainer, heldOut, tokenizer, heldOutFrames);
            if (!data.renderedHeldOut().isEmpty()) {
              for (var e :
                  evaluate(
                          model,
                          trainer,
                          data.renderedHeldOut(),
                          tokenizer,
                          data.renderedHeldOutBodies())
                      .entrySet()) {
                metrics.put("rendered_" + e.getKey(), e.getValue());
              }
            }
            metrics.put("train_token_loss", counted == 0 ? Double.NaN : loss / counted);
            metrics.put("skipped_steps", (double) trainer.skippedSteps());
            if (!Double.isFinite(metrics.get("held_out_token_loss"))) {
              // never overwrite a good checkpoint with a broken model
              throw new IllegalStateException(
                  "training diverged before step "
                      + trainer.step()
                      + " (held-out loss not finite); the last checkpoint in "
                      + checkpoint
                      + " is kept: resume from it with a lower --lr");
            }
            loss = 0;
            counted = 0;
            double cpu = previousCpu + (SubjectSplit.cpuNanos() - cpuStart) / 1e9;
            metrics.put("cpu_seconds", cpu);
            bar.setExtraMessage(String.format(" held-out %s", brief(metrics)));
            save(model, checkpoint, trainer.step(), metrics, data, tokenizerVersion);
            log.info("step {}: {}", trainer.step(), metrics);
            if (System.nanoTime() > deadline) {
              break;
            }
          }
        }
        boolean finished = trainer.step() >= config.steps();
        double cpu = previousCpu + (SubjectSplit.cpuNanos() - cpuStart) / 1e9;
        if (finished) {
          save(model, config.outDir(), trainer.step(), metrics, data, tokenizerVersion);
        }
        return new Result(
            trainer.step(), finished, metrics, cpu, finished ? config.outDir() : checkpoint);
      }
    }
  }

  /** Training data: held-out examples with their bodies, and a way to draw a training example. */
  private record Data(
      List<MegaTrainer.Example> heldOut,
      List<BodyParams> heldOutBodies,
      List<MegaTrainer.Example> renderedHeldOut,
      List<BodyParams> renderedHeldOutBodies,
      java.util.function.Function<Random, MegaTrainer.Example> draw,
      Map<String, Object> provenance) {}

  /** Stages 1 and 2-pose: the mocap topic, whole subjects held out. */
  private Data mocapData(SkinnedBodyModel body, TokenizerModel tokenizer) {
    MocapReader.Result mocap = new MocapReader(config.kafka()).readAll(Duration.ofMinutes(10));
    SubjectSplit split =
        SubjectSplit.of(mocap.sequences(), config.heldOutEvery(), config.frameStride());
    if (split.train().isEmpty() || split.heldOut().isEmpty()) {
      throw new IllegalStateException("not enough mocap data: need training and held-out subjects");
    }
    long t0 = System.nanoTime();
    List<BodyParams> heldOutFrames = SubjectSplit.spread(split.heldOut(), 256);
    int[][] trainTokens = tokenize(tokenizer, split.train());
    int[][] heldOutTokens = tokenize(tokenizer, heldOutFrames);
    log.info(
        "tokenized {} training and {} held-out frames in {} s",
        trainTokens.length,
        heldOutTokens.length,
        String.format("%.0f", (System.nanoTime() - t0) / 1e9));
    PoseConditioning conditioning =
        config.stage() == MegaJobConfig.Stage.POSE
            ? new PoseConditioning(body, LandmarkNoise.MEASURED)
            : null;
    Map<String, Object> provenance = new LinkedHashMap<>();
    provenance.put("mocap", mocap.provenance());
    provenance.put("train_subjects", split.trainSubjects().size());
    provenance.put("held_out_subjects", new ArrayList<>(split.heldOutSubjects()));
    if (conditioning != null) {
      provenance.put("landmark_noise", LandmarkNoise.MEASURED.toString());
    }
    List<MegaTrainer.Example> rendered = List.of();
    List<MegaTrainer.Example> renderedHeldOut = List.of();
    List<BodyParams> renderedHeldOutBodies = List.of();
    if (config.renderedPeople() > 0) {
      List<RenderedLandmarks.Person> train = rendered(body, config.renderedPeople(), TRAIN_SCENES);
      List<RenderedLandmarks.Person> held =
          rendered(body, Math.min(256, config.renderedPeople()), HELD_OUT_SCENES);
      rendered = renderedExamples(train, body, tokenizer);
      renderedHeldOut = renderedExamples(held, body, tokenizer);
      renderedHeldOutBodies = held.stream().map(RenderedLandmarks.Person::params).toList();
      provenance.put(
          "rendered",
          Map.of(
              "people", train.size(),
              "share", config.renderedShare(),
              "scene_seed", TRAIN_SCENES + config.seed(),
              "blazepose", RENDERED_VARIANT.name(),
              "max_occlusion", config.renderedOcclusion()));
    }
    List<MegaTrainer.Example> renderedTrain = rendered;
    return new Data(
        examples(heldOutFrames, heldOutTokens, conditioning, new Random(config.seed() - 1)),
        heldOutFrames,
        renderedHeldOut,
        renderedHeldOutBodies,
        random -> {
          if (!renderedTrain.isEmpty() && random.nextDouble() < config.renderedShare()) {
            return renderedTrain.get(random.nextInt(renderedTrain.size()));
          }
          int i = random.nextInt(trainTokens.length);
          return example(split.train().get(i), trainTokens[i], conditioning, random);
        },
        provenance);
  }

  /** First scene seeds (plus the run's seed) of rendered training and held-out people. */
  static final long TRAIN_SCENES = 1_000_000L;

  static final long HELD_OUT_SCENES = 2_000_000L;

  /** The BlazePose the worker runs by default. */
  static final BlazePose.Variant RENDERED_VARIANT = BlazePose.Variant.FULL;

  private List<RenderedLandmarks.Person> rendered(SkinnedBodyModel body, int count, long scenes) {
    long seed = scenes + config.seed();
    Path cache =
        config
            .workDir()
            .resolve(
                "rendered-"
                    + seed
                    + "-"
                    + RENDERED_VARIANT.name().toLowerCase(Locale.ROOT)
                    + occlusionSuffix(config.renderedOcclusion())
                    + ".bin");
    try {
      return RenderedLandmarks.load(
          cache, body, count, seed, config.renderedOcclusion(), RENDERED_VARIANT);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot cache rendered people in " + cache, e);
    }
  }

  /**
   * The cache name's mark of an occlusion cap other than the default, whose caches predate the
   * option and keep their names.
   */
  static String occlusionSuffix(double occlusion) {
    return occlusion == MegaJobConfig.DEFAULT_RENDERED_OCCLUSION
        ? ""
        : String.format(Locale.ROOT, "-occ%02d", Math.round(occlusion * 100));
  }

  private static List<MegaTrainer.Example> renderedExamples(
      List<RenderedLandmarks.Person> people, SkinnedBodyModel body, TokenizerModel tokenizer) {
    int[][] tokens =
        tokenize(tokenizer, people.stream().map(RenderedLandmarks.Person::params).toList());
    List<MegaTrainer.Example> out = new ArrayList<>(people.size());
    for (int i = 0; i < people.size(); i++) {
      RenderedLandmarks.Person p = people.get(i);
      float[] j3 = PoseConditioning.aboutPelvis(body.forward(p.params().canonical()).joints());
      out.add(new MegaTrainer.Example(tokens[i], p.features(), p.rotation(), j3, p.joints2d()));
    }
    return out;
  }

  /**
   * Stage 2-image: rendered crops from the frames/labels topics, whole cameras held out, through
   * the frozen pre-trained backbone once (its features are the conditioning).
   */
  private Data imageData(SkinnedBodyModel body, TokenizerModel tokenizer) throws MegaLoadException {
    var crops =
        new io.megastream.train.image.LabelledCrops(config.kafka(), body)
            .read(
                new io.megastream.train.image.LabelledCrops.Options(
                    IMAGE_JITTERS, 24, 0.5, config.seed()),
                Duration.ofMinutes(10));
    var split = io.megastream.train.image.CameraSplit.of(crops.crops(), config.heldOutEvery());
    // held-out metrics run at every checkpoint: an even spread of at most 256 crops is enough
    List<io.megastream.train.image.LabelledCrops.Crop> heldOutCrops = new ArrayList<>();
    double every = Math.max(1.0, split.heldOut().size() / 256.0);
    for (double i = 0; i < split.heldOut().size(); i += every) {
      heldOutCrops.add(split.heldOut().get((int) i));
    }
    long t0 = System.nanoTime();
    List<MegaTrainer.Example> train;
    List<MegaTrainer.Example> heldOut;
    try (io.megastream.mega.image.ImageBackbone backbone =
        io.megastream.mega.image.ImageBackbone.load(config.backboneDir())) {
      train = cropExamples(split.train(), backbone, tokenizer);
      heldOut = cropExamples(heldOutCrops, backbone, tokenizer);
    }
    log.info(
        "{} training and {} held-out crops through the backbone and the tokenizer in {} s",
        train.size(),
        heldOut.size(),
        String.format("%.0f", (System.nanoTime() - t0) / 1e9));
    Map<String, Object> provenance = new LinkedHashMap<>();
    provenance.put("crops", crops.provenance());
    provenance.put("held_out_cameras", split.heldOutCameras());
    provenance.put("backbone", config.backboneDir().toString());
    return new Data(
        heldOut,
        split.heldOut().stream()
            .map(io.megastream.train.image.LabelledCrops.Crop::canonical)
            .toList(),
        List.of(),
        List.of(),
        random -> train.get(random.nextInt(train.size())),
        provenance);
  }

  /** Crops per labelled person in the image stage (the first unjittered). */
  static final int IMAGE_JITTERS = 1;

  private static List<MegaTrainer.Example> cropExamples(
      List<io.megastream.train.image.LabelledCrops.Crop> crops,
      io.megastream.mega.image.ImageBackbone backbone,
      TokenizerModel tokenizer) {
    List<MegaTrainer.Example> out = new ArrayList<>(crops.size());
    MeshBatches meshes = new MeshBatches(tokenizer.body(), tokenizer.config().scale());
    for (int start = 0; start < crops.size(); start += 64) {
      var part = crops.subList(start, Math.min(crops.size(), start + 64));
      float[][] features =
          backbone.features(
              part.stream()
                  .map(c -> io.megastream.mega.image.ImageBackbone.input(c.bgr()))
                  .toList());
      List<float[]> canonical = new ArrayList<>();
      for (var c : part) {
        canonical.add(meshes.canonicalMesh(c.canonical()));
      }
      int[][] tokens = tokenizer.encode(canonical);
      for (int i = 0; i < part.size(); i++) {
        var c = part.get(i);
        out.add(
            new MegaTrainer.Example(
                tokens[i], features[i], c.rotation(), c.joints3d(), c.joints2d()));
      }
    }
    return out;
  }

  private MegaModel.Conditioning conditioning() {
    return switch (config.stage()) {
      case PRETRAIN -> MegaModel.Conditioning.NONE;
      case POSE -> MegaModel.Conditioning.POSE;
      case IMAGE -> MegaModel.Conditioning.IMAGE;
    };
  }

  private MegaConfig size() {
    int c =
        switch (config.stage()) {
          case PRETRAIN -> 0;
          case POSE -> PoseConditioning.TOKENS;
          case IMAGE -> io.megastream.mega.image.ImageBackbone.TOKENS;
        };
    int f =
        switch (config.stage()) {
          case PRETRAIN -> 1;
          case POSE -> PoseConditioning.FEATURES;
          case IMAGE -> io.megastream.mega.image.ImageBackbone.CHANNELS;
        };
    return switch (config.size()) {
      case "tiny" -> MegaConfig.tiny(c, f);
      case "paper" -> MegaConfig.paper(c, f);
      default -> MegaConfig.lite(c, f);
    };
  }

  private static final long PROGRESS_EVERY_NANOS = 30_000_000_000L;

  private static int[][] tokenize(TokenizerModel tokenizer, List<BodyParams> frames) {
    MeshBatches meshes = new MeshBatches(tokenizer.body(), tokenizer.config().scale());
    int[][] out = new int[frames.size()][];
    long t0 = System.nanoTime();
    long lastReport = t0;
    for (int start = 0; start < frames.size(); start += 64) {
      List<float[]> batch = new ArrayList<>();
      for (int i = start; i < Math.min(frames.size(), start + 64); i++) {
        batch.add(meshes.canonicalMesh(frames.get(i)));
      }
      int[][] t = tokenizer.encode(batch);
      System.arraycopy(t, 0, out, start, t.length);
      long now = System.nanoTime();
      if (now - lastReport > PROGRESS_EVERY_NANOS) { // minutes of work: show it is moving
        int done = start + t.length;
        log.info(
            "tokenizing frames: {}/{} ({} frames/s)",
            done,
            frames.size(),
            String.format("%.0f", done / ((now - t0) / 1e9)));
        lastReport = now;
      }
    }
    return out;
  }

  private static MegaTrainer.Example example(
      BodyParams params, int[] tokens, PoseConditioning conditioning, Random random) {
    if (conditioning == null) {
      return new MegaTrainer.Example(tokens, null, null, null, null);
    }
    PoseConditioning.Sample s = conditioning.synthesize(params, random);
    return new MegaTrainer.Example(tokens, s.features(), s.rotation(), s.joints3d(), s.joints2d());
  }

  private static List<MegaTrainer.Example> examples(
      List<BodyParams> frames, int[][] tokens, PoseConditioning conditioning, Random random) {
    List<MegaTrainer.Example> out = new ArrayList<>();
    for (int i = 0; i < frames.size(); i++) {
      out.add(example(frames.get(i), tokens[i], conditioning, random));
    }
    return out;
  }

  /** Held-out metrics; stage 2 adds the deterministic mode's token accuracy and mesh error. */
  private Map<String, Double> evaluate(
      MegaModel model,
      MegaTrainer trainer,
      List<MegaTrainer.Example> heldOut,
      TokenizerModel tokenizer,
      List<BodyParams> frames) {
    Map<String, Double> m = new LinkedHashMap<>();
    double loss = 0;
    double accuracy = 0;
    int batches = 0;
    for (int start = 0; start < heldOut.size(); start += config.batchSize()) {
      var s =
          trainer.evaluate(
              heldOut.subList(start, Math.min(heldOut.size(), start + config.batchSize())));
      loss += s.tokenLoss();
      accuracy += s.maskedAccuracy();
      batches++;
    }
    m.put("held_out_token_loss", loss / batches);
    m.put("held_out_masked_accuracy", accuracy / batches);
    if (model.config().conditionTokens() > 0) {
      MegaGenerator g = new MegaGenerator(model);
      MeshBatches meshes = new MeshBatches(tokenizer.body(), tokenizer.config().scale());
      double same = 0;
      double pve = 0;
      for (int start = 0; start < heldOut.size(); start += 32) {
        List<MegaTrainer.Example> part =
            heldOut.subList(start, Math.min(heldOut.size(), start + 32));
        float[][] cond = new float[part.size()][];
        for (int i = 0; i < part.size(); i++) {
          cond[i] = part.get(i).condition();
        }
        MegaGenerator.Prediction[] p = g.deterministic(cond);
        int[][] tokens = new int[p.length][];
        for (int i = 0; i < p.length; i++) {
          tokens[i] = p[i].tokens();
          for (int j = 0; j < tokens[i].length; j++) {
            same += tokens[i][j] == part.get(i).tokens()[j] ? 1 : 0;
          }
        }
        List<float[]> decoded = tokenizer.decode(tokens);
        for (int i = 0; i < decoded.size(); i++) {
          pve +=
              io.megastream.mega.body.Meshes.meanVertexDistance(
                  decoded.get(i), meshes.canonicalMesh(frames.get(start + i)));
        }
      }
      m.put("deterministic_token_accuracy", same / heldOut.size() / model.config().tokens());
      m.put("deterministic_pve_mm", pve / heldOut.size() * 1000);
    }
    return m;
  }

  private static String brief(Map<String, Double> m) {
    StringBuilder sb = new StringBuilder();
    m.forEach(
        (k, v) -> {
          if (!k.equals("cpu_seconds")) {
            sb.append(k.replace("held_out_", "")).append(String.format("=%.3f ", v));
          }
        });
    return sb.toString().trim();
  }

  private void save(
      MegaModel model,
      Path dir,
      int step,
      Map<String, Double> metrics,
      Data data,
      String tokenizerVersion)
      throws IOException {
    MegaModel.Manifest manifest = new MegaModel.Manifest();
    manifest.version =
        "mega-" + config.stage().name().toLowerCase(java.util.Locale.ROOT) + "-" + Instant.now();
    manifest.stage = config.stage().name();
    manifest.steps = step;
    manifest.tokenizerVersion = tokenizerVersion;
    manifest.metrics.putAll(metrics);
    manifest.provenance.putAll(data.provenance());
    manifest.provenance.put("size", config.size());
    manifest.provenance.put("batch_size", config.batchSize());
    manifest.provenance.put("learning_rate", config.learningRate());
    manifest.provenance.put("schedule_steps", config.steps());
    manifest.provenance.put("full_mask_share", config.fullMaskShare());
    manifest.provenance.put("canonical_pose", config.canonicalPose());
    if (config.pretrainedDir() != null) {
      manifest.provenance.put("pretrained", config.pretrainedDir().toString());
    }
    manifest.provenance.put("seed", config.seed());
    model.save(dir, manifest);
    if (config.backboneDir() != null) {
      // an image model carries the frozen backbone it was trained on
      copyBackbone(config.backboneDir(), dir.resolve(io.megastream.mega.image.ImageBackbone.NAME));
    }
  }

  private static void copyBackbone(Path from, Path to) throws IOException {
    if (from.toAbsolutePath().normalize().equals(to.toAbsolutePath().normalize())) {
      return;
    }
    Files.createDirectories(to);
    for (String f :
        List.of(
            io.megastream.mega.image.ImageBackbone.NAME + ".params",
            io.megastream.mega.image.ImageBackbone.NAME + ".json")) {
      Path tmp = to.resolve(f + ".tmp");
      Files.copy(from.resolve(f), tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.move(
          tmp,
          to.resolve(f),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
  }
}
