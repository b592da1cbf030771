package io.megastream.sink.track;

import io.megastream.sink.internal.StreamsShutdown;
import java.nio.file.Files;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The per-camera statistics and per-track views ({@link TrackTopology}) on Kafka Streams, with
 * interactive queries on this instance's stores. Thread-safe.
 */
public final class TrackApp implements AutoCloseable {

  private final KafkaStreams streams;
  private final String applicationId;

  /**
   * @param kafka client properties passed to every client
   * @param alpha smoothing weight of the newest joints, (0, 1]
   */
  public TrackApp(Map<String, Object> kafka, String applicationId, double alpha)
      throws java.io.IOException {
    Properties p = new Properties();
    p.putAll(kafka);
    this.applicationId = applicationId;
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
    p.putIfAbsent(
        StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("megastream-tracks-").toString());
    streams = new KafkaStreams(TrackTopology.build(alpha), p);
  }

  public void start() {
    streams.start();
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** A camera's statistics, or null if none of its results arrived (or the store is not ready). */
  public CameraStats cameraStats(String camera) {
    return store(TrackTopology.CAMERA_STATS, CameraStats.class).get(camera);
  }

  /** A track's smoothed joints, or null. */
  public TrackJoints track(String camera, long track) {
    return store(TrackTopology.TRACKS, TrackJoints.class)
        .get(TrackTopology.trackKey(camera, track));
  }

  /** Every camera's statistics on this instance, by camera id. */
  public java.util.SortedMap<String, CameraStats> cameras() {
    java.util.SortedMap<String, CameraStats> out = new java.util.TreeMap<>();
    try (var it = store(TrackTopology.CAMERA_STATS, CameraStats.class).all()) {
      it.forEachRemaining(kv -> out.put(kv.key, kv.value));
    }
    return out;
  }

  /** A camera's tracks on this instance, by track id. */
  public java.util.SortedMap<Long, TrackJoints> tracks(String camera) {
    java.util.SortedMap<Long, TrackJoints> out = new java.util.TreeMap<>();
    String prefix = TrackTopology.trackKey(camera, 0).replaceAll("0$", "");
    try (var it = store(TrackTopology.TRACKS, TrackJoints.class).all()) {
      it.forEachRemaining(
          kv -> {
            if (kv.key.startsWith(prefix)) {
              out.put(Long.parseLong(kv.key.substring(prefix.length())), kv.value);
            }
          });
    }
    return out;
  }

  private <V> ReadOnlyKeyValueStore<String, V> store(String name, Class<V> type) {
    return streams.store(
        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
  }

  @Override
  public void close() {
    StreamsShutdown.close(streams, applicationId);
  }
}
