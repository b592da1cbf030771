package io.megastream.sink.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.motion.MotionGenerator;
import io.megastream.mega.tokenizer.MeshBatches;
import io.megastream.mega.tokenizer.TokenizerModel;
import io.megastream.proto.Box;
import io.megastream.proto.DeadLetter;
import io.megastream.proto.DeadLetterReason;
import io.megastream.proto.DecodedMesh;
import io.megastream.proto.FrameRef;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.RecoveryMode;
import io.megastream.proto.RecoveryStatus;
import io.megastream.proto.StochasticSamples;
import io.megastream.proto.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DecodeTopologyTest {

  private static SkinnedBodyModel body;
  private static TokenizerModel tokenizer;
  private static int[] tokens;

  @BeforeAll
  static void load() throws Exception {
    body = ProceduralBody.build();
    tokenizer = TokenizerModel.load(Path.of("..", "models", "tokenizer"), body);
    var params = MotionGenerator.builder().setSeed(5).build().clip(2).frame(4);
    tokens =
        tokenizer
            .encode(
                List.of(new MeshBatches(body, tokenizer.config().scale()).canonicalMesh(params)))[
            0];
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  private static MeshRecovery result(long seq, RecoveryMode mode) {
    MeshRecovery.Builder b =
        MeshRecovery.newBuilder()
            .setSchemaVersion(1)
            .setFrame(FrameRef.newBuilder().setCameraId("cam-a").setSeq(seq))
            .setStatus(RecoveryStatus.RECOVERY_STATUS_OK)
            .setPersonIndex(0)
            .setBox(Box.newBuilder().setX(10).setY(10).setWidth(50).setHeight(120))
            .setMode(mode)
            .setModelVersion("m1")
            .addAllRotation6D(List.of(1f, 0f, 0f, 0f, 1f, 0f))
            .addAllCamera(List.of(0.5f, 0f, 0f));
    for (int t : tokens) {
      b.addTokens(t);
    }
    return b.build();
  }

  @Test
  void shouldDecodeResultsJoinSamplesAndDeadLetterWhatItCannotRead() {
    // Given
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "decode-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    try (TopologyTestDriver driver =
        new TopologyTestDriver(
            DecodeTopology.build(() -> new MeshDecoder(tokenizer), Duration.ofSeconds(30)), p)) {
      TestInputTopic<String, MeshRecovery> meshes =
          driver.createInputTopic(
              Topics.MESHES.name(),
              Serdes.String().serializer(),
              Topics.MESHES.valueSerde().serializer());
      TestInputTopic<String, StochasticSamples> samples =
          driver.createInputTopic(
              Topics.SAMPLES.name(),
              Serdes.String().serializer(),
              Topics.SAMPLES.valueSerde().serializer());
      TestInputTopic<String, byte[]> raw =
          driver.createInputTopic(
              Topics.MESHES.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
      TestOutputTopic<String, DecodedMesh> decoded =
          driver.createOutputTopic(
              Topics.DECODED.name(),
              Serdes.String().deserializer(),
              Topics.DECODED.valueSerde().deserializer());
      TestOutputTopic<byte[], DeadLetter> dead =
          driver.createOutputTopic(
              Topics.DEAD_LETTER.name(),
              Topics.DEAD_LETTER.keySerde().deserializer(),
              Topics.DEAD_LETTER.valueSerde().deserializer());
      Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
      MeshRecovery sampled = result(2, RecoveryMode.RECOVERY_MODE_STOCHASTIC);
      MeshRecovery badTokens =
          result(3, RecoveryMode.RECOVERY_MODE_DETERMINISTIC).toBuilder().setTokens(0, 600).build();

      // When: a deterministic result, a sampled one and its samples, an empty frame, garbage, and
      // a result whose token is outside the codebook
      meshes.pipeInput("cam-a", result(1, RecoveryMode.RECOVERY_MODE_DETERMINISTIC), t0);
      meshes.pipeInput("cam-a", sampled, t0.plusMillis(40));
      samples.pipeInput(
          "cam-a",
          StochasticSamples.newBuilder()
              .setSchemaVersion(1)
              .setFrame(sampled.getFrame())
              .setPersonIndex(0)
              .addAllVertexSdMm(java.util.Collections.nCopies(body.vertexCount(), 7f))
              .build(),
          t0.plusMillis(45));
      meshes.pipeInput(
          "cam-a",
          MeshRecovery.newBuilder()
              .setSchemaVersion(1)
              .setFrame(FrameRef.newBuilder().setCameraId("cam-a").setSeq(4))
              .setStatus(RecoveryStatus.RECOVERY_STATUS_NO_PERSONS)
              .setPersonIndex(-1)
              .build(),
          t0.plusMillis(80));
      raw.pipeInput("cam-a", new byte[] {7, 7, 7}, t0.plusMillis(90));
      meshes.pipeInput("cam-a", badTokens, t0.plusMillis(120));

      // Then
      List<DecodedMesh> out = decoded.readValuesToList();
      assertThat(out).extracting(d -> d.getFrame().getSeq()).containsExactlyInAnyOrder(1L, 2L, 4L);
      DecodedMesh first = out.stream().filter(d -> d.getFrame().getSeq() == 1).findFirst().get();
      assertThat(first.getVerticesCount()).isEqualTo(body.vertexCount() * 3);
      assertThat(first.getJoints2DCount()).isEqualTo(48);
      assertThat(first.getVertexSdMmCount()).isZero();
      DecodedMesh withSd = out.stream().filter(d -> d.getFrame().getSeq() == 2).findFirst().get();
      assertThat(withSd.getVertexSdMmCount()).isEqualTo(body.vertexCount());
      DecodedMesh empty = out.stream().filter(d -> d.getFrame().getSeq() == 4).findFirst().get();
      assertThat(empty.getVerticesCount()).isZero();
      List<DeadLetter> dl = dead.readValuesToList();
      assertThat(dl)
          .extracting(DeadLetter::getReason)
          .containsExactlyInAnyOrder(
              DeadLetterReason.DEAD_LETTER_REASON_MALFORMED,
              DeadLetterReason.DEAD_LETTER_REASON_INVALID_CONTENT);
      assertThat(dl).allMatch(d -> d.getStage().equals(DecodeTopology.STAGE));
    }
  }
}
