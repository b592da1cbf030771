package io.megastream.cli;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.body.UniformPoses;
import io.megastream.mega.motion.MotionClip;
import io.megastream.mega.motion.MotionGenerator;
import io.megastream.mega.tokenizer.TokenizerEvaluation;
import io.megastream.mega.tokenizer.TokenizerLoadException;
import io.megastream.mega.tokenizer.TokenizerModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code megastream eval}: reports on the shipped models. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Evaluates models on MegaStream's own held-out synthetic benchmark.",
    subcommands = {
      EvalCommand.Tokenizer.class,
      EvalCommand.Pose.class,
      EvalCommand.Mega.class,
      EvalCommand.Product.class
    })
final class EvalCommand {

  @Command(
      name = "product",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Scores what the product delivered: the 'meshes-decoded' records of cameras with ground"
            + " truth (synthetic: cameras) against their 'labels', as 'eval mega' scores the model:"
            + " MPJPE and PA-MPJPE on the 14 LSP joints and PVE, mm, beside the mean mesh given the"
            + " true rotation. Results are matched to labelled people by box IoU >= 0.5.",
        "Reads both topics from the start to their end at start-up (read_committed): run it once"
            + " ingest, recover and decode are done."
      })
  static final class Product implements Callable<Integer> {
    @picocli.CommandLine.Mixin KafkaOptions kafka;

    @Option(names = "--camera", description = "Score only this camera id (default: all).")
    String camera;

    @Option(
        names = "--mean-seed",
        defaultValue = "991",
        description = "Motion seed of the mean-mesh baseline (default: ${DEFAULT-VALUE}).")
    long meanSeed;

    @Option(
        names = "--timeout",
        defaultValue = "PT2M",
        description = "Give up reading after this long (ISO-8601, default: ${DEFAULT-VALUE}).")
    java.time.Duration timeout;

    @Override
    public Integer call() {
      SkinnedBodyModel body = ProceduralBody.build();
      var score =
          new io.megastream.train.score.ProductScore(
              body, io.megastream.mega.eval.MegaBenchmark.meanCanonicalMesh(body, meanSeed));
      var read = ProductReader.read(kafka.properties(), camera, timeout, score::add, score::add);
      var rows = score.rows();
      var u = score.unscored();
      System.out.printf(
          "read %d labels and %d decoded results (%d unreadable); not OK %d, no labelled person"
              + " at IoU >= 0.5 %d, no label %d%n",
          read.labels(), read.results(), read.unreadable(), u.notOk(), u.unmatched(), u.waiting());
      System.out.println(
          "| people | n | MPJPE | PA-MPJPE | PVE | mean mesh MPJPE | mean PA-MPJPE | mean PVE |");
      System.out.println("|---|---|---|---|---|---|---|---|");
      for (var r : rows) {
        System.out.printf(
            "| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
            r.subset(),
            r.persons(),
            r.mpjpe(),
            r.paMpjpe(),
            r.pve(),
            r.meanMpjpe(),
            r.meanPaMpjpe(),
            r.meanPve());
      }
      if (rows.isEmpty()) {
        System.err.println(
            "nothing scored: no OK results in 'meshes-decoded' matched a labelled person");
        return ExitCodes.FAILURE;
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "mega",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "The paper's tables on MegaStream's synthetic benchmark: deterministic PVE, MPJPE and"
            + " PA-MPJPE of --model and any --compare models next to the mean-mesh and tokenizer"
            + " baselines; min-of-Q and mean-of-Q over Q; the occluded subset; uncertainty against"
            + " error per person and per vertex; APD of random generations (--pretrained). Cases:"
            + " held-out motion with synthesised landmarks (pose models) and rendered people"
            + " through the model's real conditioner (BlazePose, or the CNN of an image model).",
        "Writes mega.md and PNG plots to --out and prints the tables."
      })
  static final class Mega implements Callable<Integer> {
    @Option(
        names = "--model",
        defaultValue = "models/mega",
        description = "The main model (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(
        names = "--compare",
        description = "Another model for the deterministic table: NAME=DIR (repeatable).")
    java.util.Map<String, Path> compare = new java.util.LinkedHashMap<>();

    @Option(names = "--pretrained", description = "Stage-1 model for the APD of random meshes.")
    Path pretrained;

    @Option(names = "--tokenizer", defaultValue = "models/tokenizer")
    Path tokenizerDir;

    @Option(names = "--out", defaultValue = ".megastream/eval")
    Path out;

    @Option(names = "--cases", defaultValue = "256", description = "Synthetic-landmark cases.")
    int cases;

    @Option(
        names = "--rendered",
        defaultValue = "128",
        description =
            "Rendered people per subset, unoccluded and occluded (default: ${DEFAULT-VALUE}; fewer"
                + " is too noisy to compare models).")
    int rendered;

    @Option(
        names = "--sweep-cases",
        defaultValue = "24",
        description = "Cases per set in the Q sweep (default: ${DEFAULT-VALUE}).")
    int sweepCases;

    @Option(
        names = "--qs",
        defaultValue = "1,5,10,25,50,100",
        split = ",",
        description = "Q values of the sweep, ascending (default: ${DEFAULT-VALUE}).")
    List<Integer> qs;

    @Option(names = "--steps", defaultValue = "8", description = "T of the stochastic mode.")
    int steps;

    @Option(names = "--temperature", defaultValue = "1.0", description = "A (noise scale).")
    double temperature;

    @Option(
        names = "--threshold",
        description = "Adaptive threshold on 1 − confidence (default: the demo's).")
    Double threshold;

    @Option(names = "--variant", defaultValue = "FULL", description = "BlazePose variant.")
    io.megastream.mega.pose.BlazePose.Variant variant;

    @Option(names = "--seed", defaultValue = "9001")
    long seed;

    /** The tokenizer version a model's manifest names, or null if it cannot be read here. */
    private static String trainedWith(Path modelDir) {
      try {
        return io.megastream.mega.model.MegaModel.readManifest(modelDir).tokenizerVersion;
      } catch (java.io.IOException | RuntimeException e) {
        return null; // loading it reports the problem properly
      }
    }

    @Override
    public Integer call() throws Exception {
      for (int i = 1; i < qs.size(); i++) {
        if (qs.get(i) <= qs.get(i - 1) || qs.get(0) < 1) {
          throw new picocli.CommandLine.ParameterException(
              new picocli.CommandLine(this), "--qs must be positive and ascending: " + qs);
        }
      }
      SkinnedBodyModel body = ProceduralBody.build();
      java.util.Map<String, Path> dirs = new java.util.LinkedHashMap<>();
      dirs.put(model.getFileName().toString(), model);
      dirs.putAll(compare);
      List<io.megastream.mega.eval.MegaBenchmark.Entry> entries = new ArrayList<>();
      io.megastream.mega.model.MegaModel stage1 = null;
      TokenizerModel tokenizer = null;
      try {
        tokenizer = TokenizerModel.load(tokenizerDir, body);
        String tokenizerVersion = TokenizerModel.readManifest(tokenizerDir).version;
        for (var e : dirs.entrySet()) {
          String wants = trainedWith(e.getValue());
          if (wants != null && tokenizerVersion != null && !wants.equals(tokenizerVersion)) {
            // another tokenizer's codebook would turn its tokens into wrong meshes: no numbers
            throw new picocli.CommandLine.ParameterException(
                new picocli.CommandLine(this),
                e.getValue()
                    + " predicts the tokens of tokenizer "
                    + wants
                    + ", but --tokenizer "
                    + tokenizerDir
                    + " is "
                    + tokenizerVersion
                    + ": compare only models of one tokenizer");
          }
          var m = io.megastream.mega.model.MegaModel.load(e.getValue());
          entries.add(
              new io.megastream.mega.eval.MegaBenchmark.Entry(
                  e.getKey(),
                  m,
                  io.megastream.mega.inference.Conditioner.forModel(m, e.getValue(), variant)));
        }
        if (pretrained != null) {
          stage1 = io.megastream.mega.model.MegaModel.load(pretrained);
        }
        var bench =
            new io.megastream.mega.eval.MegaBenchmark(
                body,
                tokenizer,
                new io.megastream.mega.eval.MegaBenchmark.Options(
                    cases,
                    rendered,
                    sweepCases,
                    qs,
                    steps,
                    temperature,
                    threshold != null
                        ? threshold
                        : io.megastream.recover.RecoverConfig.DEFAULT_THRESHOLD,
                    seed));
        var result = bench.run(entries, stage1);
        java.nio.file.Files.createDirectories(out);
        String report = bench.report(result, entries, out);
        System.out.println(report);
        java.nio.file.Files.writeString(out.resolve("mega.md"), report);
        System.out.println("report and plots: " + out.toAbsolutePath());
        return ExitCodes.OK;
      } catch (io.megastream.mega.model.MegaLoadException | TokenizerLoadException e) {
        System.err.println("megastream eval mega: " + e.getMessage());
        return ExitCodes.SOURCE_UNAVAILABLE;
      } finally {
        for (var e : entries) {
          e.conditioner().close();
          e.model().close();
        }
        if (stage1 != null) {
          stage1.close();
        }
        if (tokenizer != null) {
          tokenizer.close();
        }
      }
    }
  }

  @Command(
      name = "pose",
      mixinStandardHelpOptions = true,
      description = {
        "Runs MediaPipe's BlazePose on rendered people of the synthetic benchmark, cropped at"
            + " their true boxes, and compares its landmarks with the body model's exact ones:"
            + " the noise model stage-2 training applies to synthetic landmarks, BlazePose's"
            + " presence and its time per crop."
      })
  static final class Pose implements Callable<Integer> {
    @Option(
        names = "--scenes",
        defaultValue = "12",
        description = "One-person scenes to render (default: ${DEFAULT-VALUE}).")
    int scenes;

    @Option(
        names = "--frames",
        defaultValue = "6",
        description = "Frames per scene, one second apart (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(
        names = "--variant",
        defaultValue = "FULL",
        description = "BlazePose variant: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    io.megastream.mega.pose.BlazePose.Variant variant;

    @Option(names = "--seed", defaultValue = "7001")
    long seed;

    @Option(
        names = "--crops",
        defaultValue = "BOX",
        description =
            "BOX: a square of 1.25 x the true box around it; DETECTOR: the pose detector's"
                + " rotated, hip-centred ROI, as ingest's --detector blazepose (default:"
                + " ${DEFAULT-VALUE}).")
    io.megastream.mega.pose.LandmarkNoiseMeasurement.Crops crops;

    @Option(
        names = "--people",
        defaultValue = "CLEAR",
        description =
            "CLEAR: people hidden at most 20 %; OCCLUDED: hidden 25-70 %, as eval mega's occluded"
                + " subset (default: ${DEFAULT-VALUE}).")
    io.megastream.mega.pose.LandmarkNoiseMeasurement.People people;

    @Override
    public Integer call() {
      SkinnedBodyModel body = ProceduralBody.build();
      try (io.megastream.mega.pose.BlazePose pose =
          io.megastream.mega.pose.BlazePose.load(variant)) {
        var r =
            io.megastream.mega.pose.LandmarkNoiseMeasurement.measure(
                body, pose, scenes, frames, seed, crops, people);
        var n = r.noise();
        System.out.printf(
            "BlazePose %s on %d rendered %s crops (synthetic benchmark, seed %d; %d people without"
                + " a detector ROI)%n"
                + "  2D landmark error (truly visible), fraction of crop side: median %.4f,"
                + " p90 %.4f -> sigma %.4f; of the person's height: median %.4f%n"
                + "  relative depth sigma %.4f, world landmark sigma %.4f m%n"
                + "  visibility reported: %.3f on visible, %.3f on hidden landmarks%n"
                + "  gross errors (> 0.15 of the crop): %.4f%n"
                + "  presence %.3f, %.1f ms per crop%n",
            variant,
            r.crops(),
            crops,
            seed,
            r.unfound(),
            r.median2d(),
            r.p90of2d(),
            n.imageSigma(),
            r.median2dOfHeight(),
            n.depthSigma(),
            n.worldSigma(),
            n.visibleWhenVisible(),
            n.visibleWhenHidden(),
            n.dropout(),
            r.meanPresence(),
            r.millisPerCrop());
        var h = r.hidden();
        System.out.printf(
            "  %s people, %d truly hidden landmarks: 2D error median %.4f of the crop side,"
                + " world sigma %.4f m%n"
                + "  visibility p10/p50/p90: %.2f / %.2f / %.2f hidden, %.2f / %.2f / %.2f"
                + " visible%n",
            people,
            h.landmarks(),
            h.median2d(),
            h.worldSigma(),
            h.visibility()[0],
            h.visibility()[1],
            h.visibility()[2],
            h.visibleVisibility()[0],
            h.visibleVisibility()[1],
            h.visibleVisibility()[2]);
        return ExitCodes.OK;
      }
    }
  }

  @Command(
      name = "tokenizer",
      mixinStandardHelpOptions = true,
      description = {
        "Evaluates a tokenizer on held-out synthetic motion (subjects and clips from a seed never"
            + " used in training) and on uniformly random poses (a stress figure): PVE and MPJPE in"
            + " mm, codebook perplexity and dead codes, encode/decode throughput. Writes"
            + " tokenizer.md, poses.png and reconstructions.png to --out and prints the tables."
      })
  static final class Tokenizer implements Callable<Integer> {
    @Option(
        names = "--model",
        defaultValue = "models/tokenizer",
        description = "Tokenizer directory (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--out", required = true, description = "Directory for the report.")
    Path out;

    @Option(
        names = "--clips",
        defaultValue = "60",
        description = "Held-out clips to generate (default: ${DEFAULT-VALUE}).")
    int clips;

    @Option(
        names = "--seed",
        defaultValue = "9001",
        description =
            "Seed of the held-out motion; training uses other seeds (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
      SkinnedBodyModel body = ProceduralBody.build();
      TokenizerModel tokenizer;
      try {
        tokenizer = TokenizerModel.load(model, body);
      } catch (TokenizerLoadException e) {
        System.err.println("megastream eval tokenizer: " + e.getMessage());
        return ExitCodes.SOURCE_UNAVAILABLE;
      }
      try (tokenizer) {
        MotionGenerator gen = MotionGenerator.builder().setSeed(seed).optSubjects(clips).build();
        List<BodyParams> heldOut = new ArrayList<>();
        for (int i = 0; i < clips; i++) {
          MotionClip c = gen.clip(i);
          for (int f = 0; f < c.frameCount(); f += 5) {
            heldOut.add(c.frame(f));
          }
        }
        UniformPoses uniform = new UniformPoses(seed, body.shapeCount());
        List<BodyParams> stress = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
          stress.add(uniform.next());
        }
        TokenizerEvaluation.Report report =
            TokenizerEvaluation.run(tokenizer, heldOut, stress, TokenizerModel.readManifest(model));
        Path file = TokenizerEvaluation.write(report, out);
        List<BodyParams> pictured = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          pictured.add(heldOut.get(i * heldOut.size() / 16));
        }
        TokenizerEvaluation.pictures(tokenizer, pictured, out);
        System.out.println(report.markdown());
        System.out.println("written to " + file);
        return ExitCodes.OK;
      }
    }
  }
}
