package io.megastream.sink.track;

import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Running statistics of one camera's results: persons recovered, how many were sampled, the mean
 * uncertainty signal, frames without persons, and the capture-time span they cover.
 *
 * @param persons results with a mesh
 * @param stochastic of those, sampled
 * @param signalSum sum of their uncertainty signals (1 − confidence)
 * @param emptyFrames frames without persons
 * @param firstCaptureUs earliest capture time seen, µs
 * @param lastCaptureUs latest capture time seen, µs
 */
public record CameraStats(
    long persons,
    long stochastic,
    double signalSum,
    long emptyFrames,
    long firstCaptureUs,
    long lastCaptureUs) {

  /** Nothing seen yet. */
  public static final CameraStats EMPTY = new CameraStats(0, 0, 0, 0, Long.MAX_VALUE, 0);

  /** Persons per second of capture time; NaN before two distinct capture times. */
  public double personsPerSecond() {
    double span = (lastCaptureUs - firstCaptureUs) / 1e6;
    return span > 0 ? persons / span : Double.NaN;
  }

  /** Share of persons sampled; NaN before the first person. */
  public double stochasticShare() {
    return persons == 0 ? Double.NaN : (double) stochastic / persons;
  }

  /** Mean uncertainty signal; NaN before the first person. */
  public double meanSignal() {
    return persons == 0 ? Double.NaN : signalSum / persons;
  }

  /** A compact binary serde (48 bytes), for the state store and its changelog. */
  public static Serde<CameraStats> serde() {
    Serializer<CameraStats> ser =
        (topic, s) ->
            s == null
                ? null
                : ByteBuffer.allocate(48)
                    .putLong(s.persons)
                    .putLong(s.stochastic)
                    .putDouble(s.signalSum)
                    .putLong(s.emptyFrames)
                    .putLong(s.firstCaptureUs)
                    .putLong(s.lastCaptureUs)
                    .array();
    Deserializer<CameraStats> de =
        (topic, b) -> {
          if (b == null) {
            return null;
          }
          ByteBuffer in = ByteBuffer.wrap(b);
          return new CameraStats(
              in.getLong(), in.getLong(), in.getDouble(), in.getLong(), in.getLong(), in.getLong());
        };
    return Serdes.serdeFrom(ser, de);
  }
}
