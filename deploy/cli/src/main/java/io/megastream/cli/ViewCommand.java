package io.megastream.cli;

import io.megastream.mega.tokenizer.TokenizerLoadException;
import io.megastream.sink.view.Viewer;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code megastream view}: the live 3D viewer in a web page. */
@Command(
    name = "view",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the live viewer: a web page showing, per camera, the frame each result came from"
          + " with its 2D joints and the recovered meshes in 3D (three.js), coloured by per-vertex"
          + " uncertainty when the person was sampled, the samples on request. Reads"
          + " meshes-decoded (run 'megastream decode'), frames, meshes and samples; pushes to"
          + " browsers over server-sent events with a bounded buffer per browser (a slow browser"
          + " loses its oldest events, never slows anything else). Runs until Ctrl-C.",
      "GET /api/stats gives the counters and the capture -> browser draw delay the pages report."
    })
final class ViewCommand implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Option(
      names = "--port",
      defaultValue = "8090",
      description = "HTTP port (default: ${DEFAULT-VALUE}); 0 picks a free one.")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 serves other machines).")
  String host;

  @Option(
      names = "--replay",
      description =
          "Replay the topics from their beginning at capture pace, in a loop (else live).")
  boolean replay;

  @Option(
      names = "--client-buffer",
      defaultValue = "64",
      description =
          "Events buffered per browser before its oldest are dropped (default: ${DEFAULT-VALUE}).")
  int clientBuffer;

  @Option(
      names = "--tokenizer",
      defaultValue = "models/tokenizer",
      description = "Decodes stochastic samples on request; missing: samples are not offered.")
  Path tokenizerDir;

  @Override
  public Integer call() throws Exception {
    Viewer.Options d = Viewer.Options.defaults();
    Viewer.Options options;
    try {
      options =
          new Viewer.Options(
              host,
              port,
              replay,
              clientBuffer,
              d.framesPerCamera(),
              d.maxClients(),
              Files.isDirectory(tokenizerDir) ? tokenizerDir : null);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), e.getMessage());
    }
    if (options.tokenizerDir() == null) {
      System.err.println("view: no tokenizer at " + tokenizerDir + "; samples will not be offered");
    }
    Viewer viewer;
    try {
      viewer = new Viewer(kafka.properties(), options);
    } catch (BindException e) {
      System.err.println(
          "megastream view: port " + port + " is in use (--port 0 picks a free one)");
      return ExitCodes.USAGE;
    } catch (TokenizerLoadException e) {
      System.err.println("megastream view: " + e.getMessage());
      return ExitCodes.SOURCE_UNAVAILABLE;
    }
    try (UntilStopped until = new UntilStopped("view");
        viewer) {
      viewer.start();
      if (!viewer.feed().awaitReady(java.time.Duration.ofSeconds(40))) {
        System.err.println(
            "megastream view: cannot read the topics from Kafka"
                + (viewer.feed().failure() == null ? "" : ": " + viewer.feed().failure()));
        return ExitCodes.KAFKA_UNAVAILABLE;
      }
      System.out.println(
          "view: open "
              + viewer.url()
              + (replay ? " (replaying the topics)" : " (live)")
              + "; Ctrl-C stops it");
      until.await(0);
    }
    return ExitCodes.OK;
  }
}
