package io.megastream.cli;

import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.model.MegaGenerator;
import io.megastream.mega.model.MegaLoadException;
import io.megastream.mega.model.MegaModel;
import io.megastream.mega.render.Pictures;
import io.megastream.mega.tokenizer.TokenizerLoadException;
import io.megastream.mega.tokenizer.TokenizerModel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code megastream generate}: random meshes from a pre-trained (unconditioned) MEGA model. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Generates random human meshes with a pre-trained MEGA model (stage 1, no conditioning):"
          + " 20 steps, noise (1.2·(1 − t/T))^6. Writes a picture grid and prints the diversity"
          + " (APD: mean distance between two generated meshes, cm)."
    })
final class GenerateCommand implements Callable<Integer> {

  @Option(names = "--model", defaultValue = "models/mega-pretrain")
  Path model;

  @Option(names = "--tokenizer", defaultValue = "models/tokenizer")
  Path tokenizerDir;

  @Option(names = "--count", defaultValue = "16")
  int count;

  @Option(names = "--seed", defaultValue = "1")
  long seed;

  @Option(names = "--out", defaultValue = ".megastream/generated.png")
  Path out;

  @Override
  public Integer call() throws Exception {
    SkinnedBodyModel body = ProceduralBody.build();
    MegaModel mega;
    TokenizerModel tokenizer;
    try {
      mega = MegaModel.load(model);
      tokenizer = TokenizerModel.load(tokenizerDir, body);
    } catch (MegaLoadException | TokenizerLoadException e) {
      System.err.println("megastream generate: " + e.getMessage());
      return ExitCodes.SOURCE_UNAVAILABLE;
    }
    try (mega;
        tokenizer) {
      if (mega.conditioning() != MegaModel.Conditioning.NONE) {
        System.err.println(
            "megastream generate: "
                + model
                + " is conditioned on "
                + mega.conditioning()
                + "; random generation needs the pre-trained (stage 1) model");
        return ExitCodes.USAGE;
      }
      int[][] tokens =
          new MegaGenerator(mega).sample(null, MegaGenerator.Sampling.unconditional(count), seed);
      List<float[]> meshes = tokenizer.decode(tokens);
      double apd = io.megastream.mega.body.Meshes.averagePairwiseDistance(meshes);
      Pictures.grid(body, meshes, null, Math.min(8, count), out);
      System.out.printf(
          "generated %d meshes; APD %.1f cm (synthetic benchmark); picture: %s%n",
          count, apd * 100, out.toAbsolutePath());
      return ExitCodes.OK;
    }
  }
}
