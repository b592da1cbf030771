package io.megastream.cli;

import io.megastream.mega.tokenizer.TokenizerLoadException;
import io.megastream.sink.decode.DecodeApp;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code megastream decode}: the Kafka Streams application meshes → meshes-decoded. */
@Command(
    name = "decode",
    mixinStandardHelpOptions = true,
    description =
        "Runs the decode application (Kafka Streams, exactly once): every result on meshes is"
            + " decoded with the tokenizer into vertices and 3D joints in the camera frame and 2D"
            + " joints in frame pixels, stochastic results with their samples' per-vertex"
            + " uncertainty, and written to meshes-decoded for consumers that cannot run the"
            + " tokenizer. Each result is decoded with the tokenizer its model was trained with"
            + " (the model manifests under --models name it); a result whose tokenizer is not"
            + " loaded, or cannot be told, goes to dead-letter like any bad record. Runs until"
            + " Ctrl-C.")
final class DecodeCommand implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Option(
      names = "--application-id",
      defaultValue = "megastream-decode",
      description = "Kafka Streams application id (default: ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(
      names = "--tokenizer",
      defaultValue = "models/tokenizer",
      description = "A tokenizer directory; repeat for several (default: ${DEFAULT-VALUE}).")
  List<Path> tokenizerDirs;

  @Option(
      names = "--models",
      defaultValue = "models",
      description =
          "MEGA model directories, or folders of them, whose manifests name their tokenizer; a"
              + " result is decoded with its model's tokenizer (default: ${DEFAULT-VALUE}).")
  List<Path> modelRoots;

  @Override
  public Integer call() throws Exception {
    DecodeApp app;
    try {
      app = new DecodeApp(kafka.properties(), applicationId, tokenizerDirs, modelRoots);
    } catch (TokenizerLoadException e) {
      System.err.println("megastream decode: " + e.getMessage());
      return ExitCodes.SOURCE_UNAVAILABLE;
    }
    try (UntilStopped until = new UntilStopped("decode");
        app) {
      app.start();
      System.out.println(
          "decode: " + applicationId + " running (meshes -> meshes-decoded); Ctrl-C stops it");
      until.await(0);
    }
    return ExitCodes.OK;
  }
}
