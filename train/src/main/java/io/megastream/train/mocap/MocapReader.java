package io.megastream.train.mocap;

import io.megastream.proto.MocapFrame;
import io.megastream.proto.Topics;
import io.megastream.proto.read.TopicSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays the {@code mocap} archive topic from the beginning up to the end offsets seen at the
 * start (a consistent snapshot), without a consumer group. Records that are not valid MocapFrames
 * are counted and skipped. Not thread-safe.
 */
public final class MocapReader {

  private static final Logger log = LoggerFactory.getLogger(MocapReader.class);

  /** What was read, with provenance. */
  public record Result(
      List<MocapSequence> sequences, Map<Integer, Long> endOffsets, long records, long rejected) {

    /** "mocap[p0:0-123, p1:0-456]" for manifests. */
    public String provenance() {
      return Topics.MOCAP.name()
          + endOffsets.entrySet().stream()
              .map(e -> "p" + e.getKey() + ":0-" + e.getValue())
              .collect(Collectors.joining(", ", "[", "]"));
    }
  }

  private final Map<String, Object> kafka;

  /**
   * @param kafka client properties (bootstrap servers, security)
   */
  public MocapReader(Map<String, Object> kafka) {
    this.kafka = Map.copyOf(kafka);
  }

  /**
   * Reads every sequence.
   *
   * @throws IllegalStateException if the topic is missing or the read does not finish in time
   */
  public Result readAll(Duration timeout) {
    Map<String, Map<Integer, MocapFrame>> bySequence = new HashMap<>();
    TopicSnapshot.Result read =
        new TopicSnapshot(kafka)
            .read(
                Topics.MOCAP,
                timeout,
                "publish motion with `megastream mocap`",
                (r, f) ->
                    bySequence
                        .computeIfAbsent(f.getSequenceId(), k -> new TreeMap<>())
                        .put(f.getFrameIndex(), f));
    List<MocapSequence> sequences = new ArrayList<>();
    new TreeMap<>(bySequence)
        .forEach(
            (id, frames) -> {
              MocapFrame first = frames.values().iterator().next();
              sequences.add(
                  new MocapSequence(
                      id,
                      first.getAction(),
                      first.getSubjectId(),
                      first.getFps(),
                      frames.values().stream()
                          .map(f -> ProtoBodies.fromProto(f.getBody()))
                          .toList()));
            });
    return new Result(sequences, read.endOffsets(), read.records(), read.rejected());
  }
}
