package io.megastream.proto;

import com.google.protobuf.Message;
import java.util.List;
import org.apache.kafka.common.header.Headers;

/**
 * A registry topic together with its value class, so tests can drive every topic's value serde with
 * messages they only know as {@link Message}, without unchecked casts.
 *
 * @param topic the registry topic
 * @param type the generated class of its values
 * @param <V> value type
 */
public record TopicValues<V extends Message>(Topic<?, V> topic, Class<V> type) {

  /** One entry per registry topic, in {@link Topics#all()} order. */
  public static final List<TopicValues<?>> ALL =
      List.of(
          new TopicValues<>(Topics.FRAMES, Frame.class),
          new TopicValues<>(Topics.MESHES, MeshRecovery.class),
          new TopicValues<>(Topics.SAMPLES, StochasticSamples.class),
          new TopicValues<>(Topics.DECODED, DecodedMesh.class),
          new TopicValues<>(Topics.TRACKS, TrackUpdate.class),
          new TopicValues<>(Topics.LABELS, Label.class),
          new TopicValues<>(Topics.MOCAP, MocapFrame.class),
          new TopicValues<>(Topics.MODELS, ModelVersion.class),
          new TopicValues<>(Topics.DEAD_LETTER, DeadLetter.class));

  /**
   * Topics whose message types were added to v1 after it was frozen: they have no frozen copy and
   * no golden file, and adding one is a deliberate, listed decision.
   */
  public static final List<String> ADDED_AFTER_FREEZE = List.of("DecodedMesh", "TrackUpdate");

  /** The topics of the frozen v1 schema (every other one). */
  public static final List<TopicValues<?>> FROZEN_V1 =
      ALL.stream().filter(t -> !ADDED_AFTER_FREEZE.contains(t.messageName())).toList();

  /** The message name of the values, e.g. {@code Frame} (also the golden file's base name). */
  public String messageName() {
    return type.getSimpleName();
  }

  /** Serializes with the topic's value serializer (headers may be null). */
  public byte[] serialize(Headers headers, Message value) {
    return topic.valueSerde().serializer().serialize(topic.name(), headers, type.cast(value));
  }

  /** Deserializes with the topic's value deserializer (headers may be null). */
  public V deserialize(Headers headers, byte[] bytes) {
    return topic.valueSerde().deserializer().deserialize(topic.name(), headers, bytes);
  }

  @Override
  public String toString() {
    return topic.name();
  }
}
