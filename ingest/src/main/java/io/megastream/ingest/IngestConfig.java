package io.megastream.ingest;

import io.megastream.ingest.detect.Detectors;
import io.megastream.ingest.source.FrameSource;
import io.megastream.proto.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything {@link Ingest} needs, validated on construction. Build it with {@link #builder()};
 * every option has a default. Kafka client properties pass through untouched.
 *
 * @param kafka Kafka client properties (bootstrap servers, security, producer overrides)
 * @param cameras the cameras, at least one, ids unique
 * @param pace {@code FAST} reads files as fast as possible, {@code NATIVE} at their frame rate
 * @param loop restart files at their end (stop with {@code maxFramesPerCamera} or Ctrl-C)
 * @param maxSide longest side of published images; 0 keeps the source size
 * @param jpegQuality JPEG quality 1..100
 * @param detector person detector name, see {@link Detectors#NAMES}
 * @param track give person boxes track ids (IoU tracker per camera)
 * @param queueFrames capacity of the grab-to-send queue in frames
 * @param queueBytes capacity of the grab-to-send queue in bytes
 * @param onFull what a grab thread does when the queue is full
 * @param maxFrameBytes largest frame record accepted; larger ones are rejected and dead-lettered
 * @param maxFramesPerCamera stop a camera after this many frames; 0 means no limit
 * @param reconnectAttempts live sources: attempts to (re)open before giving up; -1 forever
 * @param reconnectBackoff first wait between attempts, doubled up to 30 s
 * @param networkTimeout how long a network source may stall before it counts as lost
 * @param maxConsecutiveCorrupt a source with more undecodable frames in a row counts as lost
 * @param sourcePlugins factories of generated sources by URI scheme (e.g. {@code synthetic})
 */
public record IngestConfig(
    Map<String, Object> kafka,
    List<CameraSpec> cameras,
    Pace pace,
    boolean loop,
    int maxSide,
    int jpegQuality,
    String detector,
    boolean track,
    int queueFrames,
    long queueBytes,
    OnFull onFull,
    int maxFrameBytes,
    long maxFramesPerCamera,
    int reconnectAttempts,
    Duration reconnectBackoff,
    Duration networkTimeout,
    int maxConsecutiveCorrupt,
    Map<String, FrameSource.Factory> sourcePlugins) {

  /** How files are paced. */
  public enum Pace {
    FAST,
    NATIVE
  }

  /** Policy when the hand-off queue is full. */
  public enum OnFull {
    /** Live sources and natively paced files drop the oldest frames; fast files block. */
    AUTO,
    BLOCK,
    DROP_OLDEST
  }

  public IngestConfig {
    kafka = Map.copyOf(Objects.requireNonNull(kafka, "kafka"));
    cameras = List.copyOf(Objects.requireNonNull(cameras, "cameras"));
    Objects.requireNonNull(pace, "pace");
    Objects.requireNonNull(onFull, "onFull");
    Objects.requireNonNull(reconnectBackoff, "reconnectBackoff");
    Objects.requireNonNull(networkTimeout, "networkTimeout");
    Objects.requireNonNull(detector, "detector");
    sourcePlugins = Map.copyOf(Objects.requireNonNull(sourcePlugins, "sourcePlugins"));
    for (CameraSpec c : cameras) {
      if (c.kind() == CameraSpec.Kind.GENERATED && !sourcePlugins.containsKey(c.scheme())) {
        throw new IllegalArgumentException(
            "camera '"
                + c.id()
                + "': no source plug-in for '"
                + c.scheme()
                + ":' URLs is installed (the megastream command line provides one)");
      }
    }
    if (!kafka.containsKey("bootstrap.servers")) {
      throw new IllegalArgumentException("bootstrap.servers is required (--bootstrap-server)");
    }
    if (cameras.isEmpty()) {
      throw new IllegalArgumentException("at least one camera is required (--camera ID=URL)");
    }
    if (cameras.stream().map(CameraSpec::id).distinct().count() != cameras.size()) {
      throw new IllegalArgumentException("camera ids must be unique: " + cameras);
    }
    if (!Detectors.NAMES.contains(detector)) {
      throw new IllegalArgumentException(
          "unknown detector '" + detector + "'; choose one of " + Detectors.NAMES);
    }
    if (maxSide < 0 || (maxSide > 0 && maxSide < 16)) {
      throw new IllegalArgumentException("max side must be 0 (keep) or >= 16, was " + maxSide);
    }
    if (jpegQuality < 1 || jpegQuality > 100) {
      throw new IllegalArgumentException("JPEG quality must be 1..100, was " + jpegQuality);
    }
    if (queueFrames < 1 || queueBytes < 1) {
      throw new IllegalArgumentException("queue capacity must be positive");
    }
    if (maxFrameBytes < 1024) {
      throw new IllegalArgumentException("max frame bytes must be >= 1024, was " + maxFrameBytes);
    }
    if (maxFramesPerCamera < 0 || maxConsecutiveCorrupt < 1 || reconnectAttempts < -1) {
      throw new IllegalArgumentException("negative limits are not allowed");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether a camera's grab thread drops the oldest frames instead of waiting. */
  public boolean dropsOldest(CameraSpec camera) {
    return switch (onFull) {
      case BLOCK -> false;
      case DROP_OLDEST -> true;
      case AUTO -> camera.kind().isLive() || pace == Pace.NATIVE;
    };
  }

  /** Builder: {@code setBootstrapServers} and at least one {@code addCamera} are required. */
  public static final class Builder {
    private final Map<String, Object> kafka = new java.util.HashMap<>();
    private final List<CameraSpec> cameras = new java.util.ArrayList<>();
    private Pace pace = Pace.FAST;
    private boolean loop;
    private int maxSide;
    private int jpegQuality = 85;
    private String detector = "hog";
    private boolean track = true;
    private int queueFrames = 64;
    private long queueBytes = 64L * 1024 * 1024;
    private OnFull onFull = OnFull.AUTO;
    private int maxFrameBytes = Topics.FRAME_MAX_BYTES;
    private long maxFramesPerCamera;
    private int reconnectAttempts = 10;
    private Duration reconnectBackoff = Duration.ofSeconds(1);
    private Duration networkTimeout = Duration.ofSeconds(10);
    private int maxConsecutiveCorrupt = 100;
    private final Map<String, FrameSource.Factory> sourcePlugins = new java.util.HashMap<>();

    private Builder() {}

    public Builder setBootstrapServers(String servers) {
      kafka.put("bootstrap.servers", servers);
      return this;
    }

    /** Kafka client properties, e.g. from {@code --command-config}; applied as given. */
    public Builder optKafkaProperties(Map<String, ?> props) {
      kafka.putAll(props);
      return this;
    }

    public Builder addCamera(CameraSpec camera) {
      cameras.add(camera);
      return this;
    }

    public Builder optPace(Pace pace) {
      this.pace = pace;
      return this;
    }

    public Builder optLoop(boolean loop) {
      this.loop = loop;
      return this;
    }

    public Builder optMaxSide(int maxSide) {
      this.maxSide = maxSide;
      return this;
    }

    public Builder optJpegQuality(int q) {
      this.jpegQuality = q;
      return this;
    }

    public Builder optDetector(String detector) {
      this.detector = detector;
      return this;
    }

    public Builder optTrack(boolean track) {
      this.track = track;
      return this;
    }

    public Builder optQueue(int frames, long bytes) {
      this.queueFrames = frames;
      this.queueBytes = bytes;
      return this;
    }

    public Builder optOnFull(OnFull onFull) {
      this.onFull = onFull;
      return this;
    }

    public Builder optMaxFrameBytes(int bytes) {
      this.maxFrameBytes = bytes;
      return this;
    }

    public Builder optMaxFramesPerCamera(long n) {
      this.maxFramesPerCamera = n;
      return this;
    }

    public Builder optReconnect(int attempts, Duration backoff) {
      this.reconnectAttempts = attempts;
      this.reconnectBackoff = backoff;
      return this;
    }

    public Builder optNetworkTimeout(Duration timeout) {
      this.networkTimeout = timeout;
      return this;
    }

    public Builder optMaxConsecutiveCorrupt(int n) {
      this.maxConsecutiveCorrupt = n;
      return this;
    }

    /** Serves cameras whose URI has this scheme (one of {@link CameraSpec#GENERATED_SCHEMES}). */
    public Builder addSourcePlugin(String scheme, FrameSource.Factory factory) {
      if (!CameraSpec.GENERATED_SCHEMES.contains(scheme)) {
        throw new IllegalArgumentException(
            "'" + scheme + "' is not a generated-source scheme " + CameraSpec.GENERATED_SCHEMES);
      }
      sourcePlugins.put(scheme, Objects.requireNonNull(factory, "factory"));
      return this;
    }

    /**
     * @throws IllegalArgumentException if an option is invalid
     */
    public IngestConfig build() {
      return new IngestConfig(
          kafka,
          cameras,
          pace,
          loop,
          maxSide,
          jpegQuality,
          detector,
          track,
          queueFrames,
          queueBytes,
          onFull,
          maxFrameBytes,
          maxFramesPerCamera,
          reconnectAttempts,
          reconnectBackoff,
          networkTimeout,
          maxConsecutiveCorrupt,
          sourcePlugins);
    }
  }
}
