package io.megastream.proto;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Default creation settings of a topic: partition count and topic-level configs.
 *
 * @param partitions default partition count, at least 1
 * @param configs topic-level configs (for example {@code retention.ms}, {@code max.message.bytes});
 *     unmodifiable
 */
public record TopicSpec(int partitions, Map<String, String> configs) {

  /** Keep data forever ({@code retention.ms=-1}): archive topics that training replays. */
  public static final String FOREVER = "-1";

  public TopicSpec {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
    }
    configs = Map.copyOf(Objects.requireNonNull(configs, "configs"));
  }

  /** The topic's {@code max.message.bytes}, if set. */
  public Optional<Integer> maxMessageBytes() {
    return Optional.ofNullable(configs.get("max.message.bytes")).map(Integer::parseInt);
  }
}
