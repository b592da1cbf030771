package io.megastream.sink.track;

import io.megastream.proto.FrameRef;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.RecoveryMode;
import io.megastream.proto.RecoveryStatus;
import io.megastream.proto.SchemaVersions;
import io.megastream.proto.Topic;
import io.megastream.proto.Topics;
import io.megastream.proto.TrackUpdate;
import io.megastream.sink.decode.DecodeTopology;
import io.megastream.sink.decode.DecodeTopology.Parsed;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Per-camera and per-track views, built by a pure function: (1) the {@value #CAMERA_STATS} store,
 * per camera the running {@link CameraStats} of its {@code meshes} results (persons/s, share
 * sampled, mean uncertainty signal); (2) the {@value #TRACKS} store, per camera and track the
 * latest 3D joints of {@code meshes-decoded} smoothed over time (exponential moving average, weight
 * {@code alpha} on the newest), every update also written to the {@code tracks} topic (key: camera
 * id). Both stores are queryable (interactive queries) while the application runs. Records that do
 * not parse go to {@code dead-letter}.
 */
public final class TrackTopology {

  /** The stage name on dead letters. */
  public static final String STAGE = "sink-track";

  /** Store name of the per-camera statistics. */
  public static final String CAMERA_STATS = "camera-stats";

  /** Store name of the per-track smoothed joints. */
  public static final String TRACKS = "track-joints";

  private TrackTopology() {}

  /**
   * @param alpha weight of the newest joints in the moving average, (0, 1]; 1 = no smoothing
   */
  public static Topology build(double alpha) {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1], was " + alpha);
    }
    StreamsBuilder b = new StreamsBuilder();
    valid(b, Topics.MESHES)
        .filter((camera, m) -> camera != null)
        .groupByKey(Grouped.with(Serdes.String(), Topics.MESHES.valueSerde()))
        .aggregate(
            () -> CameraStats.EMPTY,
            (camera, m, s) -> add(s, m),
            Materialized.<String, CameraStats, KeyValueStore<Bytes, byte[]>>as(CAMERA_STATS)
                .withKeySerde(Serdes.String())
                .withValueSerde(CameraStats.serde()));
    valid(b, Topics.DECODED)
        .filter(
            (camera, d) ->
                d.hasTrackId()
                    && d.getStatus() == RecoveryStatus.RECOVERY_STATUS_OK
                    && d.getJoints3DCount() > 0)
        .selectKey((camera, d) -> trackKey(d.getFrame().getCameraId(), d.getTrackId()))
        .groupByKey(Grouped.with(Serdes.String(), Topics.DECODED.valueSerde()))
        .aggregate(
            TrackJoints::empty,
            (track, d, state) -> state.update(d, alpha),
            Materialized.<String, TrackJoints, KeyValueStore<Bytes, byte[]>>as(TRACKS)
                .withKeySerde(Serdes.String())
                .withValueSerde(TrackJoints.serde())
                .withCachingDisabled()) // every result folded in goes out on the tracks topic
        .toStream()
        .map((track, t) -> KeyValue.pair(cameraOf(track), update(track, t, alpha)))
        .to(
            Topics.TRACKS.name(),
            Produced.with(Topics.TRACKS.keySerde(), Topics.TRACKS.valueSerde()));
    return b.build();
  }

  /**
   * Records of a topic that parse; the others go to {@code dead-letter} as stage {@value #STAGE}.
   */
  private static <V> KStream<String, V> valid(StreamsBuilder b, Topic<String, V> topic) {
    KStream<String, Parsed<V>> parsed = DecodeTopology.parse(b, topic, STAGE);
    DecodeTopology.toDeadLetters(parsed.filter((k, p) -> p.dead() != null).mapValues(Parsed::dead));
    return parsed.filter((k, p) -> p.value() != null).mapValues(Parsed::value);
  }

  private static String cameraOf(String trackKey) {
    return trackKey.substring(0, trackKey.lastIndexOf('/'));
  }

  private static TrackUpdate update(String trackKey, TrackJoints t, double alpha) {
    TrackUpdate.Builder u =
        TrackUpdate.newBuilder()
            .setSchemaVersion(SchemaVersions.CURRENT)
            .setFrame(
                FrameRef.newBuilder()
                    .setCameraId(cameraOf(trackKey))
                    .setSeq(t.lastSeq())
                    .setCaptureTimeUs(t.lastCaptureUs()))
            .setTrackId(Long.parseLong(trackKey.substring(trackKey.lastIndexOf('/') + 1)))
            .setUpdates(t.updates())
            .setAlpha((float) alpha);
    for (float v : t.joints3d()) {
      u.addJoints3D(v);
    }
    return u.build();
  }

  /** The key of a track in {@value #TRACKS}. */
  public static String trackKey(String camera, long track) {
    return camera + "/" + track;
  }

  static CameraStats add(CameraStats s, MeshRecovery m) {
    long t = m.getFrame().getCaptureTimeUs();
    long first = t > 0 ? Math.min(s.firstCaptureUs(), t) : s.firstCaptureUs();
    long last = Math.max(s.lastCaptureUs(), t);
    return switch (m.getStatus()) {
      case RECOVERY_STATUS_OK ->
          new CameraStats(
              s.persons() + 1,
              s.stochastic() + (m.getMode() == RecoveryMode.RECOVERY_MODE_STOCHASTIC ? 1 : 0),
              s.signalSum() + m.getUncertainty().getSignal(),
              s.emptyFrames(),
              first,
              last);
      case RECOVERY_STATUS_NO_PERSONS ->
          new CameraStats(
              s.persons(), s.stochastic(), s.signalSum(), s.emptyFrames() + 1, first, last);
      default -> s;
    };
  }
}
