package io.megastream.sink.decode;

import io.megastream.proto.MeshRecovery;
import io.megastream.proto.StochasticSamples;
import io.megastream.proto.Topics;
import io.megastream.proto.read.TopicSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One camera's results as they stand in the archive: its {@code meshes} records that pass a filter,
 * in log order, and its {@code samples} records by {@link MeshDecoder#key}, ready for {@link
 * MeshDecoder#decode}. What the export and the overlay video both read.
 */
public record CameraResults(List<MeshRecovery> results, Map<String, StochasticSamples> samples) {

  /**
   * Reads both topics up to their end offsets now (read_committed).
   *
   * @param keep which of the camera's results to take (by record and value)
   * @throws IllegalStateException if a topic is missing or the read does not finish in time
   */
  public static CameraResults read(
      TopicSnapshot snapshot,
      String camera,
      BiPredicate<ConsumerRecord<byte[], byte[]>, MeshRecovery> keep,
      Duration timeout) {
    List<MeshRecovery> results = new ArrayList<>();
    snapshot.read(
        Topics.MESHES,
        timeout,
        "nothing was recovered yet: run `megastream recover`",
        (r, m) -> {
          if (m.getFrame().getCameraId().equals(camera) && keep.test(r, m)) {
            results.add(m);
          }
        });
    Map<String, StochasticSamples> samples = new HashMap<>();
    snapshot.read(
        Topics.SAMPLES,
        timeout,
        "the samples topic is missing",
        (r, s) -> {
          if (s.getFrame().getCameraId().equals(camera)) {
            samples.put(MeshDecoder.key(s), s);
          }
        });
    return new CameraResults(results, samples);
  }
}
