package io.megastream.sink.decode;

import io.megastream.proto.DeadLetter;
import io.megastream.proto.DeadLetterReason;
import io.megastream.proto.DecodedMesh;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.RecoveryMode;
import io.megastream.proto.StochasticSamples;
import io.megastream.proto.Topic;
import io.megastream.proto.Topics;
import io.megastream.proto.deadletter.DeadLetters;
import io.megastream.proto.serde.RecordRejectedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The decode application's topology, built by a pure function so {@code TopologyTestDriver} can run
 * it: {@code meshes} results → {@link MeshDecoder} → {@code meshes-decoded}. Results of the
 * stochastic mode wait (windowed join, by camera/seq/person) for their {@code samples} record, so
 * the decoded mesh carries its per-vertex uncertainty; the others decode at once. Records that do
 * not parse or cannot be decoded go to {@code dead-letter} with the reason. Output key: camera id.
 */
public final class DecodeTopology {

  /** The stage name on dead letters. */
  public static final String STAGE = "sink-decode";

  private DecodeTopology() {}

  /** A parsed value, or the dead letter it became (exactly one of them is set). */
  public record Parsed<V>(V value, DeadLetter dead) {}

  /**
   * Builds the topology.
   *
   * @param decoders gives a processor its decoder, called in the processor's {@code init} on the
   *     stream thread that runs it (decoders are not thread-safe)
   * @param joinWindow how far apart a stochastic result and its samples may be in time
   */
  public static Topology build(Supplier<MeshDecoder> decoders, Duration joinWindow) {
    StreamsBuilder b = new StreamsBuilder();
    KStream<String, Parsed<MeshRecovery>> meshes = parse(b, Topics.MESHES, STAGE);
    KStream<String, Parsed<StochasticSamples>> samples = parse(b, Topics.SAMPLES, STAGE);

    toDeadLetters(
        meshes
            .filter((k, p) -> p.dead() != null)
            .mapValues(Parsed::dead)
            .merge(samples.filter((k, p) -> p.dead() != null).mapValues(Parsed::dead)));

    KStream<String, MeshRecovery> ok =
        meshes.filter((k, p) -> p.value() != null).mapValues(Parsed::value);
    KStream<String, MeshRecovery> sampled =
        ok.filter((k, m) -> m.getMode() == RecoveryMode.RECOVERY_MODE_STOCHASTIC);
    KStream<String, MeshRecovery> direct =
        ok.filter((k, m) -> m.getMode() != RecoveryMode.RECOVERY_MODE_STOCHASTIC);

    KStream<String, Decoded> joined =
        sampled
            .selectKey((k, m) -> MeshDecoder.key(m))
            .join(
                samples
                    .filter((k, p) -> p.value() != null)
                    .mapValues(Parsed::value)
                    .selectKey((k, s) -> MeshDecoder.key(s)),
                (m, s) -> new Decoded(m, s),
                JoinWindows.ofTimeDifferenceWithNoGrace(joinWindow),
                StreamJoined.with(
                    Serdes.String(), Topics.MESHES.valueSerde(), Topics.SAMPLES.valueSerde()))
            .selectKey((id, d) -> d.mesh().getFrame().getCameraId());

    KStream<String, Decoded> all = direct.mapValues(m -> new Decoded(m, null)).merge(joined);
    KStream<String, Parsed<DecodedMesh>> decoded =
        all.processValues(() -> new DecodeProcessor(decoders));
    decoded
        .filter((k, p) -> p.value() != null)
        .mapValues(Parsed::value)
        .to(
            Topics.DECODED.name(),
            Produced.with(Topics.DECODED.keySerde(), Topics.DECODED.valueSerde()));
    toDeadLetters(decoded.filter((k, p) -> p.dead() != null).mapValues(Parsed::dead));
    return b.build();
  }

  /** A result with its samples (null when deterministic). */
  private record Decoded(MeshRecovery mesh, StochasticSamples samples) {}

  /**
   * Reads a topic as bytes and parses each value with its registry serde (headers included);
   * records that do not parse become dead letters of {@code stage} naming their topic, partition
   * and offset.
   */
  public static <V> KStream<String, Parsed<V>> parse(
      StreamsBuilder b, Topic<String, V> topic, String stage) {
    return b.stream(topic.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
        .processValues(() -> new ParseProcessor<>(topic, stage));
  }

  /** Sends a stream's dead letters to {@code dead-letter}, keyed as their source was. */
  public static void toDeadLetters(KStream<String, DeadLetter> dead) {
    dead.map(
            (k, d) ->
                org.apache.kafka.streams.KeyValue.pair(k == null ? new byte[0] : k.getBytes(), d))
        .to(
            Topics.DEAD_LETTER.name(),
            Produced.with(Topics.DEAD_LETTER.keySerde(), Topics.DEAD_LETTER.valueSerde()));
  }

  private static final class ParseProcessor<V>
      implements FixedKeyProcessor<String, byte[], Parsed<V>> {
    private final Topic<String, V> topic;
    private final String stage;
    private FixedKeyProcessorContext<String, Parsed<V>> context;

    ParseProcessor(Topic<String, V> topic, String stage) {
      this.topic = topic;
      this.stage = stage;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Parsed<V>> context) {
      this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
      try {
        context.forward(
            record.withValue(
                new Parsed<>(topic.decodeValue(record.headers(), record.value()), null)));
      } catch (RecordRejectedException e) {
        context.forward(record.withValue(new Parsed<>(null, dead(context, record, stage, e))));
      }
    }
  }

  private static final class DecodeProcessor
      implements FixedKeyProcessor<String, Decoded, Parsed<DecodedMesh>> {
    private final Supplier<MeshDecoder> decoders;
    private MeshDecoder decoder;
    private FixedKeyProcessorContext<String, Parsed<DecodedMesh>> context;

    DecodeProcessor(Supplier<MeshDecoder> decoders) {
      this.decoders = decoders;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Parsed<DecodedMesh>> context) {
      this.context = context;
      this.decoder = decoders.get();
    }

    @Override
    public void process(FixedKeyRecord<String, Decoded> record) {
      Decoded d = record.value();
      try {
        Map<String, StochasticSamples> samples =
            d.samples() == null ? Map.of() : Map.of(MeshDecoder.key(d.samples()), d.samples());
        DecodedPerson p = decoder.decode(List.of(d.mesh()), samples).get(0);
        context.forward(record.withValue(new Parsed<>(toProto(p), null)));
      } catch (IllegalArgumentException e) {
        DeadLetter dl =
            DeadLetters.of(
                    STAGE,
                    DeadLetterReason.DEAD_LETTER_REASON_INVALID_CONTENT,
                    "cannot decode: " + e.getMessage())
                .setSourceTopic(Topics.MESHES.name())
                .setSourceValue(d.mesh().toByteString())
                .setSourceValueSize(d.mesh().getSerializedSize())
                .setCameraId(d.mesh().getFrame().getCameraId())
                .setSeq(d.mesh().getFrame().getSeq())
                .build();
        context.forward(record.withValue(new Parsed<>(null, dl)));
      }
    }
  }

  private static DeadLetter dead(
      FixedKeyProcessorContext<?, ?> context,
      FixedKeyRecord<String, byte[]> r,
      String stage,
      Exception e) {
    var meta = context.recordMetadata().orElse(null);
    DeadLetters.Source as =
        new DeadLetters.Source(
            meta == null ? "" : meta.topic(),
            meta == null ? -1 : meta.partition(),
            meta == null ? -1 : meta.offset(),
            r.timestamp(),
            r.key() == null ? null : r.key().getBytes(java.nio.charset.StandardCharsets.UTF_8),
            r.value(),
            r.headers());
    return DeadLetters.of(stage, as, e).build();
  }

  /** The wire form of a decoded person. */
  static DecodedMesh toProto(DecodedPerson p) {
    MeshRecovery m = p.result();
    DecodedMesh.Builder b =
        DecodedMesh.newBuilder()
            .setSchemaVersion(m.getSchemaVersion())
            .setFrame(m.getFrame())
            .setStatus(m.getStatus())
            .setPersonIndex(m.getPersonIndex())
            .setBox(m.getBox())
            .setMode(m.getMode())
            .setConfidence(m.getConfidence())
            .setModelVersion(m.getModelVersion())
            .setUncertainty(m.getUncertainty());
    if (m.hasTrackId()) {
      b.setTrackId(m.getTrackId());
    }
    for (float v : p.vertices()) {
      b.addVertices(v);
    }
    for (float v : p.joints3d()) {
      b.addJoints3D(v);
    }
    for (float v : p.joints2d()) {
      b.addJoints2D(v);
    }
    if (p.vertexSdMm() != null) {
      for (float v : p.vertexSdMm()) {
        b.addVertexSdMm(v);
      }
    }
    return b.build();
  }
}
