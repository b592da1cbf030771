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
    subcommands = {EvalCommand.Tokenizer.class, EvalCommand.Pose.class, EvalCommand.Mega.class})
final class EvalCommand {

  @Command(
      name = "mega",
      mixinStandardHelpOptions = true,
      description = {
        "Evaluates a pose-conditioned MEGA model on MegaStream's synthetic benchmark: held-out"
            + " motion (a seed never trained on) with landmarks synthesised with BlazePose's"
            + " measured noise, and rendered people whose landmarks come from the real BlazePose"
            + " model on their crops. Prints PVE, MPJPE, PA-MPJPE (mm), rotation error, min- and"
            + " mean-of-Q PVE, sample uncertainty, and how the deterministic pass's confidence"
            + " tracks the uncertainty and the error; writes mega.md to --out."
      })
  static final class Mega implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "models/mega", description = "MEGA directory.")
    Path model;

    @Option(names = "--tokenizer", defaultValue = "models/tokenizer")
    Path tokenizerDir;

    @Option(names = "--out", defaultValue = ".megastream/eval")
    Path out;

    @Option(names = "--cases", defaultValue = "256", description = "Synthetic cases.")
    int cases;

    @Option(names = "--rendered", defaultValue = "48", description = "Rendered-crop cases.")
    int rendered;

    @Option(names = "--samples", defaultValue = "8", description = "Q for the stochastic mode.")
    int samples;

    @Option(names = "--steps", defaultValue = "8", description = "T for the stochastic mode.")
    int steps;

    @Option(names = "--temperature", defaultValue = "1.0", description = "A (noise scale).")
    double temperature;

    @Option(names = "--seed", defaultValue = "9001")
    long seed;

    @Override
    public Integer call() throws Exception {
      SkinnedBodyModel body = ProceduralBody.build();
      io.megastream.mega.model.MegaModel mega;
      TokenizerModel tokenizer;
      try {
        mega = io.megastream.mega.model.MegaModel.load(model);
        tokenizer = TokenizerModel.load(tokenizerDir, body);
      } catch (io.megastream.mega.model.MegaLoadException | TokenizerLoadException e) {
        System.err.println("megastream eval mega: " + e.getMessage());
        return ExitCodes.SOURCE_UNAVAILABLE;
      }
      try (mega;
          tokenizer) {
        var sampling =
            io.megastream.mega.model.MegaGenerator.Sampling.conditional(
                samples, steps, temperature);
        MotionGenerator gen = MotionGenerator.builder().setSeed(seed).optSubjects(40).build();
        List<BodyParams> bodies = new ArrayList<>();
        for (int i = 0; bodies.size() < cases; i++) {
          MotionClip c = gen.clip(i);
          for (int f = 0; f < c.frameCount() && bodies.size() < cases; f += 17) {
            bodies.add(c.frame(f));
          }
        }
        var conditioning =
            new io.megastream.mega.pose.PoseConditioning(
                body, io.megastream.mega.pose.LandmarkNoise.MEASURED);
        var synthetic =
            io.megastream.mega.eval.MegaEvaluation.run(
                mega,
                tokenizer,
                io.megastream.mega.eval.MegaEvaluation.synthetic(
                    conditioning, bodies, new java.util.Random(seed)),
                sampling,
                seed);
        var real =
            io.megastream.mega.eval.MegaEvaluation.run(
                mega, tokenizer, renderedCases(body), sampling, seed);
        String report = report(synthetic, real);
        System.out.println(report);
        java.nio.file.Files.createDirectories(out);
        java.nio.file.Files.writeString(out.resolve("mega.md"), report);
        return ExitCodes.OK;
      }
    }

    /** Rendered people, cropped at their true boxes, landmarks from the real BlazePose. */
    private List<io.megastream.mega.eval.MegaEvaluation.Case> renderedCases(SkinnedBodyModel body) {
      List<io.megastream.mega.eval.MegaEvaluation.Case> out = new ArrayList<>();
      org.bytedeco.opencv.opencv_core.Mat image = null;
      try (var pose =
          io.megastream.mega.pose.BlazePose.load(io.megastream.mega.pose.BlazePose.Variant.FULL)) {
        for (int s = 0; out.size() < rendered; s++) {
          var scene =
              io.megastream.mega.render.SyntheticScene.builder(body)
                  .optPersons(1)
                  .optSeed(seed + s)
                  .optFrames(100)
                  .build();
          for (int f = 0; scene.hasNext() && out.size() < rendered; f++) {
            var frame = scene.next();
            var t = frame.persons().get(0);
            float[] b = t.box();
            if (f % 25 != 0 || b[2] < 16 || b[3] < 16 || t.occlusion() > 0.2) {
              continue;
            }
            image =
                io.megastream.mega.pose.Images.toBgr(
                    frame.pixels(), frame.width(), frame.height(), image);
            try (var crop =
                io.megastream.mega.pose.PersonCrop.of(
                    image,
                    b[0],
                    b[1],
                    b[2],
                    b[3],
                    io.megastream.mega.pose.PersonCrop.PADDING,
                    io.megastream.mega.pose.BlazePose.INPUT)) {
              var lm = pose.estimate(crop.image());
              out.add(
                  new io.megastream.mega.eval.MegaEvaluation.Case(
                      io.megastream.mega.pose.PoseConditioning.features(lm),
                      scene.params(0, f),
                      null));
            }
          }
        }
      } finally {
        if (image != null) {
          image.close();
        }
      }
      return out;
    }

    private String report(
        io.megastream.mega.eval.MegaEvaluation.Report syn,
        io.megastream.mega.eval.MegaEvaluation.Report real) {
      StringBuilder sb = new StringBuilder();
      sb.append("# MEGA on the synthetic benchmark (").append(model).append(")\n\n");
      sb.append(
              "Measured on MegaStream's own synthetic benchmark, not on 3DPW/Human3.6M. Millimetres."
                  + " Synthetic: held-out motion (seed ")
          .append(seed)
          .append("), landmarks synthesised with BlazePose's measured noise, meshes rotated into")
          .append(" the camera frame. Rendered: the real BlazePose on rendered crops; canonical")
          .append(" meshes (rotation not compared). Stochastic: Q=")
          .append(samples)
          .append(", T=")
          .append(steps)
          .append(", A=")
          .append(temperature)
          .append(".\n\n");
      sb.append(
          "| cases | PVE | MPJPE | PA-MPJPE | canonical PVE | rotation error ° | min-of-Q PVE |"
              + " mean-of-Q PVE | uncertainty (mean per-vertex std) | deterministic ms | stochastic"
              + " ms |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
      row(sb, "synthetic " + syn.cases(), syn);
      row(sb, "rendered " + real.cases(), real);
      sb.append("\nCheap uncertainty signals of the deterministic pass (Pearson r):\n\n");
      sb.append("| cases | 1−confidence vs error | entropy vs error | 1−confidence vs sample")
          .append(" uncertainty | sample uncertainty vs error |\n|---|---|---|---|---|\n");
      for (var r : List.of(syn, real)) {
        sb.append(
            String.format(
                "| %s | %.2f | %.2f | %.2f | %.2f |%n",
                r == syn ? "synthetic" : "rendered",
                r.corrConfidenceError(),
                r.corrEntropyError(),
                r.corrConfidenceUncertainty(),
                r.corrUncertaintyError()));
      }
      sb.append("\n1 − confidence of the deterministic pass (the adaptive mode's signal):\n\n");
      sb.append("| cases | p50 | p80 | p90 | share above the default threshold ")
          .append(DemoCommand.ADAPTIVE_THRESHOLD)
          .append(" |\n|---|---|---|---|---|\n");
      for (var r : List.of(syn, real)) {
        sb.append(
            String.format(
                "| %s | %.3f | %.3f | %.3f | %.2f |%n",
                r == syn ? "synthetic" : "rendered",
                r.lowConfidenceQuantile(0.5),
                r.lowConfidenceQuantile(0.8),
                r.lowConfidenceQuantile(0.9),
                r.shareAbove(DemoCommand.ADAPTIVE_THRESHOLD)));
      }
      return sb.toString();
    }

    private static void row(
        StringBuilder sb, String name, io.megastream.mega.eval.MegaEvaluation.Report r) {
      sb.append(
          String.format(
              "| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
              name,
              r.pveMm(),
              r.mpjpeMm(),
              r.paMpjpeMm(),
              r.canonicalPveMm(),
              r.rotationErrorDeg(),
              r.minOfQPveMm(),
              r.meanOfQPveMm(),
              r.meanUncertaintyMm(),
              r.deterministicMsPerCase(),
              r.stochasticMsPerCase()));
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

    @Override
    public Integer call() {
      SkinnedBodyModel body = ProceduralBody.build();
      try (io.megastream.mega.pose.BlazePose pose =
          io.megastream.mega.pose.BlazePose.load(variant)) {
        var r =
            io.megastream.mega.pose.LandmarkNoiseMeasurement.measure(
                body, pose, scenes, frames, seed);
        var n = r.noise();
        System.out.printf(
            "BlazePose %s on %d rendered crops (synthetic benchmark, seed %d)%n"
                + "  2D landmark error (truly visible), fraction of crop side: median %.4f,"
                + " p90 %.4f -> sigma %.4f%n"
                + "  relative depth sigma %.4f, world landmark sigma %.4f m%n"
                + "  visibility reported: %.3f on visible, %.3f on hidden landmarks%n"
                + "  gross errors (> 0.15 of the crop): %.4f%n"
                + "  presence %.3f, %.1f ms per crop%n",
            variant,
            r.crops(),
            seed,
            r.median2d(),
            r.p90of2d(),
            n.imageSigma(),
            n.depthSigma(),
            n.worldSigma(),
            n.visibleWhenVisible(),
            n.visibleWhenHidden(),
            n.dropout(),
            r.meanPresence(),
            r.millisPerCrop());
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
