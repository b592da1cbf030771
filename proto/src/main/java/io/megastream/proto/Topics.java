package io.megastream.proto;

import io.megastream.proto.serde.ProtoSerde;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The typed registry of every MegaStream topic: the only place topic names are written down.
 * Thread-safe (immutable constants).
 */
public final class Topics {

  /** Largest frame record the registry allows by default: 10 MiB (a 4K JPEG is ~1-3 MB). */
  public static final int FRAME_MAX_BYTES = 10 * 1024 * 1024;

  private static final String THIRTY_DAYS_MS = Long.toString(30L * 24 * 3600 * 1000);

  /** Camera frames with person boxes. Key: camera id. Archive: kept forever. */
  public static final Topic<String, Frame> FRAMES =
      new Topic<>(
          "frames",
          Serdes.String(),
          ProtoSerde.of(Frame.class),
          spec(6, FRAME_MAX_BYTES, TopicSpec.FOREVER));

  /** One recovered mesh (tokens, rotation, camera) per person per frame. Key: camera id. */
  public static final Topic<String, MeshRecovery> MESHES =
      new Topic<>(
          "meshes",
          Serdes.String(),
          ProtoSerde.of(MeshRecovery.class),
          spec(6, 1024 * 1024, THIRTY_DAYS_MS));

  /** Q stochastic token samples and per-vertex uncertainty. Key: camera id. */
  public static final Topic<String, StochasticSamples> SAMPLES =
      new Topic<>(
          "samples",
          Serdes.String(),
          ProtoSerde.of(StochasticSamples.class),
          spec(6, 8 * 1024 * 1024, THIRTY_DAYS_MS));

  /**
   * Decoded meshes and joints for consumers that cannot run the tokenizer (large: ~70 KB a mesh).
   * Key: camera id.
   */
  public static final Topic<String, DecodedMesh> DECODED =
      new Topic<>(
          "meshes-decoded",
          Serdes.String(),
          ProtoSerde.of(DecodedMesh.class),
          spec(6, 4 * 1024 * 1024, Long.toString(7L * 24 * 3600 * 1000)));

  /**
   * Tracked persons' 3D joints smoothed over time (the track views). Key: camera id. Retention: 7
   * days.
   */
  public static final Topic<String, TrackUpdate> TRACKS =
      new Topic<>(
          "tracks",
          Serdes.String(),
          ProtoSerde.of(TrackUpdate.class),
          spec(6, 1024 * 1024, Long.toString(7L * 24 * 3600 * 1000)));

  /** Ground truth for frames. Key: camera id. Archive: kept forever. */
  public static final Topic<String, Label> LABELS =
      new Topic<>(
          "labels",
          Serdes.String(),
          ProtoSerde.of(Label.class),
          spec(6, 4 * 1024 * 1024, TopicSpec.FOREVER));

  /** Motion sequences, one record per frame. Key: sequence id. Archive: kept forever. */
  public static final Topic<String, MocapFrame> MOCAP =
      new Topic<>(
          "mocap",
          Serdes.String(),
          ProtoSerde.of(MocapFrame.class),
          spec(3, 1024 * 1024, TopicSpec.FOREVER));

  /** Model versions, compacted so the latest version per model name is always there. */
  public static final Topic<String, ModelVersion> MODELS =
      new Topic<>(
          "models",
          Serdes.String(),
          ProtoSerde.of(ModelVersion.class),
          new TopicSpec(
              1,
              Map.of(
                  "cleanup.policy",
                  "compact",
                  "max.message.bytes",
                  Integer.toString(64 * 1024 * 1024),
                  "retention.ms",
                  TopicSpec.FOREVER)));

  /** Records that were rejected, with the reason. Key: the source record's key bytes. */
  public static final Topic<byte[], DeadLetter> DEAD_LETTER =
      new Topic<>(
          "dead-letter",
          Serdes.ByteArray(),
          ProtoSerde.of(DeadLetter.class),
          spec(3, FRAME_MAX_BYTES + 1024 * 1024, THIRTY_DAYS_MS));

  private static final List<Topic<?, ?>> ALL =
      List.of(FRAMES, MESHES, SAMPLES, DECODED, TRACKS, LABELS, MOCAP, MODELS, DEAD_LETTER);

  private Topics() {}

  /** Every topic of the registry, in data-flow order. */
  public static List<Topic<?, ?>> all() {
    return ALL;
  }

  /**
   * Looks a topic up by name.
   *
   * @throws IllegalArgumentException if no registry topic has that name
   */
  public static Topic<?, ?> byName(String name) {
    for (Topic<?, ?> t : ALL) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown topic '" + name + "'; known: " + ALL.stream().map(Topic::name).toList());
  }

  private static TopicSpec spec(int partitions, int maxMessageBytes, String retentionMs) {
    Map<String, String> configs = new LinkedHashMap<>();
    configs.put("max.message.bytes", Integer.toString(maxMessageBytes));
    configs.put("retention.ms", retentionMs);
    return new TopicSpec(partitions, configs);
  }
}
