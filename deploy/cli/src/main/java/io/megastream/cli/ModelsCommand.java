package io.megastream.cli;

import io.megastream.train.publish.ModelPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code megastream models}: model versions on the compacted models topic. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = "Model versions on the compacted models topic, which recover workers follow.",
    subcommands = {ModelsCommand.Publish.class})
final class ModelsCommand {

  @Command(
      name = "publish",
      mixinStandardHelpOptions = true,
      description =
          "Publishes a MEGA model directory (zipped inline, with its SHA-256, version, config and"
              + " metrics) under a model name; workers started with --follow-models NAME switch"
              + " to it between batches.")
  static final class Publish implements Callable<Integer> {
    @Mixin KafkaOptions kafka;

    @Option(names = "--model", required = true, description = "The model directory.")
    Path model;

    @Option(names = "--name", defaultValue = "mega", description = "Model name (record key).")
    String name;

    @Override
    public Integer call() throws Exception {
      io.megastream.proto.ModelVersion v;
      try {
        v = new ModelPublisher(kafka.properties()).publish(model, name, Duration.ofSeconds(60));
      } catch (java.io.IOException e) {
        System.err.println("megastream models publish: " + e.getMessage());
        return ExitCodes.SOURCE_UNAVAILABLE;
      }
      System.out.printf(
          "published %s version %s (%d bytes, sha256 %s)%n",
          name, v.getVersion(), v.getArtifactSize(), v.getArtifactSha256());
      return ExitCodes.OK;
    }
  }
}
