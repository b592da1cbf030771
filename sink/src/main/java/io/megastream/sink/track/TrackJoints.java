package io.megastream.sink.track;

import io.megastream.proto.DecodedMesh;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A track's latest state: the last frame seen and its 3D joints smoothed over time.
 *
 * @param lastSeq the newest frame sequence number folded in
 * @param lastCaptureUs that frame's capture time, µs
 * @param updates how many results were folded in
 * @param joints3d smoothed 24 × 3 joints (camera frame, pelvis at the origin); empty at first
 */
public record TrackJoints(long lastSeq, long lastCaptureUs, long updates, float[] joints3d) {

  public static TrackJoints empty() {
    return new TrackJoints(-1, 0, 0, new float[0]);
  }

  /**
   * Folds in a new result: the first one as it is, later ones as {@code alpha·new + (1 −
   * alpha)·old}. A result older than the last one folded in (out of order) is ignored.
   */
  TrackJoints update(DecodedMesh d, double alpha) {
    long seq = d.getFrame().getSeq();
    if (updates > 0 && seq <= lastSeq) {
      return this;
    }
    float[] next = new float[d.getJoints3DCount()];
    for (int i = 0; i < next.length; i++) {
      float v = d.getJoints3D(i);
      next[i] =
          joints3d.length == next.length ? (float) (alpha * v + (1 - alpha) * joints3d[i]) : v;
    }
    return new TrackJoints(seq, d.getFrame().getCaptureTimeUs(), updates + 1, next);
  }

  /** A compact binary serde for the state store and its changelog. */
  public static Serde<TrackJoints> serde() {
    Serializer<TrackJoints> ser =
        (topic, t) -> {
          if (t == null) {
            return null;
          }
          ByteBuffer b = ByteBuffer.allocate(28 + 4 * t.joints3d.length);
          b.putLong(t.lastSeq).putLong(t.lastCaptureUs).putLong(t.updates);
          b.putInt(t.joints3d.length);
          for (float v : t.joints3d) {
            b.putFloat(v);
          }
          return b.array();
        };
    Deserializer<TrackJoints> de =
        (topic, bytes) -> {
          if (bytes == null) {
            return null;
          }
          ByteBuffer b = ByteBuffer.wrap(bytes);
          long seq = b.getLong();
          long capture = b.getLong();
          long n = b.getLong();
          float[] j = new float[b.getInt()];
          for (int i = 0; i < j.length; i++) {
            j[i] = b.getFloat();
          }
          return new TrackJoints(seq, capture, n, j);
        };
    return Serdes.serdeFrom(ser, de);
  }
}
