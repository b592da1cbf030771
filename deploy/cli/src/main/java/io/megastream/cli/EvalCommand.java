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
    subcommands = {EvalCommand.Tokenizer.class})
final class EvalCommand {

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
