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
    subcommands = {TrainCommand.Tokenizer.class})
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
}
