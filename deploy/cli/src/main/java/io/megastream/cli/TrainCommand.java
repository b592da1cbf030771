package io.megastream.cli;

import io.megastream.train.tokenizer.TokenizerJobConfig;
import io.megastream.train.tokenizer.TokenizerTrainingJob;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code megastream train}: training jobs that replay archived topics. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Training jobs that replay archived topics and write model versions.",
    subcommands = {
      TrainCommand.Tokenizer.class,
      TrainCommand.Mega.class,
      TrainCommand.Backbone.class
    })
final class TrainCommand {

  @Command(
      name = "tokenizer",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Trains the Mesh-VQ-VAE tokenizer on the mocap topic (publish motion first with"
            + " `megastream mocap`). Every n-th subject is held out. Checkpoints go to --work-dir"
            + " every --checkpoint-every steps; running again with the same --work-dir resumes.",
        "The finished tokenizer (parameters + tokenizer.json with config, provenance and held-out"
            + " metrics) is written to --out."
      })
  static final class Tokenizer implements Callable<Integer> {
    @Mixin KafkaOptions kafka;

    @Option(
        names = "--work-dir",
        defaultValue = ".megastream/train/tokenizer",
        description = "Checkpoints; resume from here (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(
        names = "--out",
        defaultValue = "models/tokenizer",
        description = "Where the finished tokenizer goes (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
        names = "--steps",
        defaultValue = "20000",
        description = "Total steps of the schedule (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch-size", defaultValue = "32")
    int batchSize;

    @Option(
        names = "--lr",
        defaultValue = "1e-3",
        description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--checkpoint-every", defaultValue = "200")
    int checkpointEvery;

    @Option(
        names = "--held-out-every",
        defaultValue = "10",
        description = "Hold out every n-th subject (default: ${DEFAULT-VALUE}).")
    int heldOutEvery;

    @Option(
        names = "--frame-stride",
        defaultValue = "2",
        description = "Use every n-th frame (default: ${DEFAULT-VALUE}).")
    int frameStride;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(
        names = "--max-minutes",
        defaultValue = "0",
        description = "Stop after the first checkpoint past this many minutes; 0 = run to the end.")
    double maxMinutes;

    @Override
    public Integer call() throws Exception {
      TokenizerJobConfig config =
          new TokenizerJobConfig(
              kafka.properties(),
              workDir,
              out,
              steps,
              batchSize,
              lr,
              checkpointEvery,
              heldOutEvery,
              frameStride,
              seed,
              maxMinutes,
              null);
      TokenizerTrainingJob.Result r = new TokenizerTrainingJob(config).run();
      TokenizerTrainingJob.describe(r).forEach((k, v) -> System.out.println(k + ": " + v));
      if (!r.finished()) {
        System.out.println("stopped at the time limit; run the same command again to resume");
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "mega",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Trains MEGA on the mocap topic with the tokenizer's tokens. --stage pretrain: tokens"
            + " alone (self-supervised). --stage pose: conditioned on BlazePose landmarks"
            + " synthesised from the same bodies with random cameras and BlazePose's measured"
            + " noise, optionally starting from a pre-trained model (--pretrained). --stage image:"
            + " conditioned on the feature grid of a pre-trained, frozen CNN (--backbone, from"
            + " `megastream train backbone`) on rendered crops read back from the frames and labels"
            + " topics a synthetic camera filled.",
        "Checkpoints go to --work-dir every --checkpoint-every steps; running again with the"
            + " same --work-dir resumes. The finished model (mega.params + mega.json with config,"
            + " provenance and held-out metrics) is written to --out."
      })
  static final class Mega implements Callable<Integer> {
    @Mixin KafkaOptions kafka;

    @Option(names = "--stage", required = true, description = "pretrain, pose or image.")
    String stage;

    @Option(
        names = "--size",
        defaultValue = "lite",
        description = "tiny, lite or paper (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(
        names = "--tokenizer",
        defaultValue = "models/tokenizer",
        description = "Tokenizer whose tokens MEGA predicts (default: ${DEFAULT-VALUE}).")
    Path tokenizer;

    @Option(
        names = "--pretrained",
        description = "Stage 2 starts from this stage-1 model directory.")
    Path pretrained;

    @Option(
        names = "--backbone",
        description = "Image stage: the pre-trained CNN directory (from `train backbone`).")
    Path backbone;

    @Option(
        names = "--work-dir",
        description = "Checkpoints; resume from here (default: .megastream/train/mega-<stage>).")
    Path workDir;

    @Option(
        names = "--out",
        description = "Where the finished model goes (default: models/mega-<stage>).")
    Path out;

    @Option(names = "--steps", defaultValue = "4000")
    int steps;

    @Option(names = "--batch-size", defaultValue = "64")
    int batchSize;

    @Option(names = "--lr", defaultValue = "1e-3")
    float lr;

    @Option(names = "--checkpoint-every", defaultValue = "200")
    int checkpointEvery;

    @Option(names = "--held-out-every", defaultValue = "10")
    int heldOutEvery;

    @Option(names = "--frame-stride", defaultValue = "2")
    int frameStride;

    @Option(
        names = "--full-mask-share",
        defaultValue = "0.25",
        description =
            "Extra share of samples with every slot masked, the deterministic mode's input"
                + " (default: ${DEFAULT-VALUE}; 0 = the paper's masking only).")
    double fullMaskShare;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(
        names = "--max-minutes",
        defaultValue = "0",
        description = "Stop after the first checkpoint past this many minutes; 0 = run to the end.")
    double maxMinutes;

    @Option(
        names = "--canonical-pose",
        description =
            "Stage pose: read the landmarks in the torso's closed-form frame (Kabsch on shoulders"
                + " and hips) and predict the rotation relative to it.")
    boolean canonicalPose;

    @Option(
        names = "--rendered-people",
        defaultValue = "0",
        description =
            "Stage pose: render this many people (training seeds) and read them with real"
                + " BlazePose once, cached in the work dir; 0 = synthesised landmarks only.")
    int renderedPeople;

    @Option(
        names = "--rendered-share",
        defaultValue = "0.5",
        description =
            "Share of each batch drawn from the rendered people (default: ${DEFAULT-VALUE}).")
    double renderedShare;

    @Option(
        names = "--rendered-max-occlusion",
        defaultValue = "0.7",
        description =
            "Rendered people hidden more than this share are not trained on (default:"
                + " ${DEFAULT-VALUE}).")
    double renderedOcclusion;

    @Override
    public Integer call() throws Exception {
      io.megastream.train.mega.MegaJobConfig.Stage st;
      try {
        st =
            io.megastream.train.mega.MegaJobConfig.Stage.valueOf(
                stage.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(this), "--stage must be pretrain, pose or image, was " + stage);
      }
      if ((st == io.megastream.train.mega.MegaJobConfig.Stage.IMAGE) != (backbone != null)) {
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(this), "--backbone is needed by, and only by, --stage image");
      }
      String name = st.name().toLowerCase(java.util.Locale.ROOT);
      var config =
          new io.megastream.train.mega.MegaJobConfig(
              kafka.properties(),
              st,
              size,
              tokenizer,
              pretrained,
              backbone,
              workDir != null ? workDir : Path.of(".megastream", "train", "mega-" + name),
              out != null ? out : Path.of("models", "mega-" + name),
              steps,
              batchSize,
              lr,
              checkpointEvery,
              heldOutEvery,
              frameStride,
              fullMaskShare,
              seed,
              maxMinutes,
              canonicalPose,
              renderedPeople,
              renderedPeople > 0 ? renderedShare : 0,
              renderedOcclusion);
      var r = new io.megastream.train.mega.MegaTrainingJob(config).run();
      System.out.println("steps: " + r.steps());
      System.out.println("finished: " + r.finished());
      r.heldOut().forEach((k, v) -> System.out.printf("%s: %.4f%n", k, v));
      System.out.printf("cpu_seconds: %.0f%n", r.cpuSeconds());
      System.out.println("output: " + r.output());
      if (!r.finished()) {
        System.out.println("stopped at the time limit; run the same command again to resume");
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "backbone",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Pre-trains the image conditioning's CNN on 2D joints (integral heatmap regression) of"
            + " rendered people read back from the frames and labels topics; fill them first with"
            + " a synthetic camera, e.g. `megastream ingest --camera"
            + " id=synth1,uri=synthetic:persons=2,seed=1,frames=300`. Every n-th camera is held"
            + " out. Checkpoints and resume as the other jobs; the backbone goes to --out."
      })
  static final class Backbone implements Callable<Integer> {
    @Mixin KafkaOptions kafka;

    @Option(names = "--work-dir", defaultValue = ".megastream/train/backbone")
    Path workDir;

    @Option(names = "--out", defaultValue = "models/backbone")
    Path out;

    @Option(names = "--steps", defaultValue = "1500")
    int steps;

    @Option(names = "--batch-size", defaultValue = "32")
    int batchSize;

    @Option(names = "--lr", defaultValue = "2e-3")
    float lr;

    @Option(names = "--checkpoint-every", defaultValue = "100")
    int checkpointEvery;

    @Option(
        names = "--held-out-every",
        defaultValue = "8",
        description = "Every n-th camera is held out (default: ${DEFAULT-VALUE}).")
    int heldOutEvery;

    @Option(
        names = "--jitters",
        defaultValue = "2",
        description = "Crops per labelled person, with detector-like box jitter.")
    int jitters;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(
        names = "--max-minutes",
        defaultValue = "0",
        description = "Stop after the first checkpoint past this many minutes; 0 = run to the end.")
    double maxMinutes;

    @Override
    public Integer call() throws Exception {
      var config =
          new io.megastream.train.image.BackboneJobConfig(
              kafka.properties(),
              workDir,
              out,
              steps,
              batchSize,
              lr,
              checkpointEvery,
              heldOutEvery,
              new io.megastream.train.image.LabelledCrops.Options(jitters, 24, 0.5, seed),
              maxMinutes);
      var r = new io.megastream.train.image.BackboneTrainingJob(config).run();
      System.out.println("steps: " + r.steps());
      System.out.println("finished: " + r.finished());
      r.heldOut().forEach((k, v) -> System.out.printf("%s: %.4f%n", k, v));
      System.out.printf("cpu_seconds: %.0f%n", r.cpuSeconds());
      System.out.println("output: " + r.output());
      if (!r.finished()) {
        System.out.println("stopped at the time limit; run the same command again to resume");
      }
      return ExitCodes.OK;
    }
  }
}
