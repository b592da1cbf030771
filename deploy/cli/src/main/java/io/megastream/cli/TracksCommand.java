package io.megastream.cli;

import io.megastream.sink.track.TrackApp;
import io.megastream.sink.track.TrackServer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code megastream tracks}: per-camera statistics and smoothed tracks, queryable over HTTP. */
@Command(
    name = "tracks",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the track views (Kafka Streams, exactly once): per camera, running statistics of the"
          + " meshes results (persons/s of capture time, share sampled, mean uncertainty signal,"
          + " empty frames); per camera and track, the 3D joints of meshes-decoded smoothed over"
          + " time, each update also written to the tracks topic. Queried over HTTP: GET"
          + " /cameras, GET /cameras/<camera>/tracks. Bad records go to dead-letter. Runs until"
          + " Ctrl-C."
    })
final class TracksCommand implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Option(
      names = "--application-id",
      defaultValue = "megastream-tracks",
      description = "Kafka Streams application id (default: ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(
      names = "--alpha",
      defaultValue = "0.5",
      description =
          "Smoothing: weight of the newest joints, (0, 1]; 1 = no smoothing (default:"
              + " ${DEFAULT-VALUE}).")
  double alpha;

  @Option(
      names = "--port",
      defaultValue = "8091",
      description = "HTTP port of the queries (default: ${DEFAULT-VALUE}); 0 picks a free one.")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind.")
  String host;

  @Override
  public Integer call() throws Exception {
    if (!(alpha > 0 && alpha <= 1)) {
      System.err.println("megastream tracks: --alpha must be in (0, 1], was " + alpha);
      return ExitCodes.USAGE;
    }
    try (UntilStopped until = new UntilStopped("tracks");
        TrackApp app = new TrackApp(kafka.properties(), applicationId, alpha);
        TrackServer server = new TrackServer(app, host, port)) {
      app.start();
      System.out.println(
          "tracks: "
              + applicationId
              + " running; GET http://"
              + host
              + ":"
              + server.port()
              + "/cameras and /cameras/<camera>/tracks; Ctrl-C stops it");
      until.await(0);
    }
    return ExitCodes.OK;
  }
}
