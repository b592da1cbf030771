package io.megastream.cli;

import io.megastream.ingest.CameraSpec;
import io.megastream.ingest.IngestConfig;
import io.megastream.ingest.IngestException;
import io.megastream.ingest.IngestResult;
import io.megastream.proto.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code megastream ingest}: cameras to the {@code frames} topic. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Reads cameras (video files, RTSP/HTTP streams, V4L2 devices) and publishes their frames,"
          + " JPEG-encoded with person boxes, to the frames topic (key: camera id).",
      "Files end at their end (or --loop); live sources run until Ctrl-C, which stops the"
          + " cameras and delivers every frame already read before exiting."
    })
final class IngestCommand implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Option(
      names = "--camera",
      required = true,
      paramLabel = "ID=URL",
      description = {
        "A camera: id=file.mp4, id=rtsp://host/path, id=http://host/stream, id=/dev/video0,"
            + " or a rendered scene with ground truth:"
            + " id=synthetic:persons=2,seed=7,frames=250,size=640x480,fps=25 (true person boxes,"
            + " per-frame labels to the labels topic). Repeat for more cameras (one grab"
            + " thread each)."
      })
  List<String> cameras;

  @Option(
      names = "--spread-cameras",
      description =
          "Give the i-th --camera partition i mod P of frames instead of hashing its id, so that"
              + " few cameras still spread over the partitions (and the workers). Per ingest"
              + " process: with several, keep the default hash.")
  boolean spreadCameras;

  @Option(
      names = "--pace",
      defaultValue = "fast",
      description =
          "Files: 'fast' (as fast as possible) or 'native' (at their frame rate, live-like). Default: ${DEFAULT-VALUE}.")
  String pace;

  @Option(names = "--loop", description = "Restart files at their end.")
  boolean loop;

  @Option(
      names = "--max-frames",
      defaultValue = "0",
      description = "Stop each camera after N frames; 0 = no limit.")
  long maxFrames;

  @Option(
      names = "--max-side",
      defaultValue = "0",
      description = "Downscale so the longest side is at most N pixels; 0 keeps the source size.")
  int maxSide;

  @Option(
      names = "--jpeg-quality",
      defaultValue = "85",
      description = "JPEG quality 1..100 (default: ${DEFAULT-VALUE}).")
  int jpegQuality;

  @Option(
      names = "--detector",
      defaultValue = "hog",
      description =
          "Person boxes: 'blazepose' (MediaPipe's pose detector on TensorFlow Lite; also gives"
              + " each person's rotated landmark crop), 'hog' (OpenCV's HOG people detector) or"
              + " 'full-frame'. Default: ${DEFAULT-VALUE}.")
  String detector;

  @Option(
      names = "--track",
      negatable = true,
      defaultValue = "true",
      description = "Give person boxes track ids (default: ${DEFAULT-VALUE}).")
  boolean track;

  @Option(
      names = "--queue-frames",
      defaultValue = "64",
      description = "Hand-off queue capacity in frames (default: ${DEFAULT-VALUE}).")
  int queueFrames;

  @Option(
      names = "--queue-mb",
      defaultValue = "64",
      description = "Hand-off queue capacity in MB (default: ${DEFAULT-VALUE}).")
  int queueMb;

  @Option(
      names = "--on-full",
      defaultValue = "auto",
      description =
          "When the queue is full: 'auto' (live and native-paced sources drop the oldest frames, fast files wait), 'block' or 'drop-oldest'. Drops are counted and reported.")
  String onFull;

  @Option(
      names = "--max-frame-bytes",
      defaultValue = "" + Topics.FRAME_MAX_BYTES,
      description =
          "Largest frame record; larger frames are rejected to the dead-letter topic (default: ${DEFAULT-VALUE}, also capped by the topic's max.message.bytes).")
  int maxFrameBytes;

  @Option(
      names = "--reconnect-attempts",
      defaultValue = "10",
      description =
          "Live sources: attempts to (re)connect before giving up; -1 = forever (default: ${DEFAULT-VALUE}).")
  int reconnectAttempts;

  @Option(
      names = "--reconnect-backoff-ms",
      defaultValue = "1000",
      description = "First wait between attempts, doubled up to 30 s (default: ${DEFAULT-VALUE}).")
  long reconnectBackoffMs;

  @Option(
      names = "--network-timeout-ms",
      defaultValue = "10000",
      description =
          "A network source stalled this long counts as lost (default: ${DEFAULT-VALUE}).")
  long networkTimeoutMs;

  @Option(
      names = "--producer-property",
      paramLabel = "KEY=VALUE",
      description = "A Kafka producer property over ingest's defaults. Repeatable.")
  List<String> producerProperties = List.of();

  @Option(
      names = "--progress-interval",
      defaultValue = "5",
      description =
          "Seconds between progress lines on stderr; 0 = none (default: ${DEFAULT-VALUE}).")
  int progressInterval;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> props = new HashMap<>(kafka.properties());
    for (String p : producerProperties) {
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--producer-property must be KEY=VALUE, was " + p);
      }
      props.put(p.substring(0, eq), p.substring(eq + 1));
    }
    List<CameraSpec> specs = cameras.stream().map(CameraSpec::parse).toList();
    if (spreadCameras) {
      props.putAll(
          io.megastream.ingest.CameraPartitioner.properties(
              specs.stream().map(CameraSpec::id).toList()));
    }
    IngestConfig.Builder b =
        IngestConfig.builder()
            .setBootstrapServers(kafka.bootstrapServer)
            .optKafkaProperties(props)
            .optPace(enumValue(IngestConfig.Pace.class, pace, "--pace"))
            .optLoop(loop)
            .optMaxFramesPerCamera(maxFrames)
            .optMaxSide(maxSide)
            .optJpegQuality(jpegQuality)
            .optDetector(detector)
            .optTrack(track)
            .optQueue(queueFrames, queueMb * 1024L * 1024L)
            .optOnFull(enumValue(IngestConfig.OnFull.class, onFull, "--on-full"))
            .optMaxFrameBytes(maxFrameBytes)
            .optReconnect(reconnectAttempts, Duration.ofMillis(reconnectBackoffMs))
            .optNetworkTimeout(Duration.ofMillis(networkTimeoutMs))
            .addSourcePlugin("synthetic", SyntheticSceneSource::create);
    specs.forEach(b::addCamera);
    IngestConfig config = b.build();
    long start = System.nanoTime();
    IngestResult result;
    try {
      result = IngestRunner.run(config, Duration.ofSeconds(progressInterval), System.err);
    } catch (IngestException e) {
      return IngestRunner.startFailure(e, System.err);
    }
    return IngestRunner.report(result, (System.nanoTime() - start) / 1e9, System.out);
  }

  static <E extends Enum<E>> E enumValue(Class<E> type, String text, String option) {
    try {
      return Enum.valueOf(type, text.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          option
              + " must be one of "
              + java.util.Arrays.stream(type.getEnumConstants())
                  .map(c -> c.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                  .toList()
              + ", was '"
              + text
              + "'");
    }
  }
}
