package io.megastream.sink.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.megastream.proto.DecodedMesh;
import io.megastream.proto.FrameRef;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.RecoveryMode;
import io.megastream.proto.RecoveryStatus;
import io.megastream.proto.Topics;
import io.megastream.proto.Uncertainty;
import java.util.Collections;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class TrackTopologyTest {

  private static MeshRecovery result(long seq, long captureUs, RecoveryMode mode, float signal) {
    return MeshRecovery.newBuilder()
        .setSchemaVersion(1)
        .setFrame(
            FrameRef.newBuilder().setCameraId("cam-a").setSeq(seq).setCaptureTimeUs(captureUs))
        .setStatus(RecoveryStatus.RECOVERY_STATUS_OK)
        .setMode(mode)
        .setUncertainty(Uncertainty.newBuilder().setSignal(signal))
        .addAllTokens(Collections.nCopies(54, 3))
        .addAllRotation6D(java.util.List.of(1f, 0f, 0f, 0f, 1f, 0f))
        .addAllCamera(java.util.List.of(0.5f, 0f, 0f))
        .build();
  }

  private static DecodedMesh decoded(long seq, float joint) {
    return DecodedMesh.newBuilder()
        .setSchemaVersion(1)
        .setFrame(FrameRef.newBuilder().setCameraId("cam-a").setSeq(seq))
        .setStatus(RecoveryStatus.RECOVERY_STATUS_OK)
        .setTrackId(1)
        .addAllJoints3D(Collections.nCopies(72, joint))
        .build();
  }

  @Test
  void shouldKeepCameraStatisticsAndSmoothedTracksQueryable() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "track-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    try (TopologyTestDriver driver = new TopologyTestDriver(TrackTopology.build(0.5), p)) {
      TestInputTopic<String, MeshRecovery> meshes =
          driver.createInputTopic(
              Topics.MESHES.name(),
              Serdes.String().serializer(),
              Topics.MESHES.valueSerde().serializer());
      TestInputTopic<String, DecodedMesh> decoded =
          driver.createInputTopic(
              Topics.DECODED.name(),
              Serdes.String().serializer(),
              Topics.DECODED.valueSerde().serializer());

      // When: two persons over one second (one sampled), an empty frame; a track's joints at 0,
      // then 1, then a late copy of the first frame
      meshes.pipeInput(
          "cam-a", result(0, 1_000_000, RecoveryMode.RECOVERY_MODE_DETERMINISTIC, 0.2f));
      meshes.pipeInput("cam-a", result(1, 2_000_000, RecoveryMode.RECOVERY_MODE_STOCHASTIC, 0.4f));
      meshes.pipeInput(
          "cam-a",
          MeshRecovery.newBuilder()
              .setSchemaVersion(1)
              .setFrame(FrameRef.newBuilder().setCameraId("cam-a").setSeq(2))
              .setStatus(RecoveryStatus.RECOVERY_STATUS_NO_PERSONS)
              .setPersonIndex(-1)
              .build());
      decoded.pipeInput("cam-a", decoded(0, 0f));
      decoded.pipeInput("cam-a", decoded(1, 1f));
      decoded.pipeInput("cam-a", decoded(0, 9f));
      driver
          .createInputTopic(
              Topics.MESHES.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer())
          .pipeInput("cam-a", new byte[] {1, 2, 3});

      // Then
      KeyValueStore<String, CameraStats> stats =
          driver.getKeyValueStore(TrackTopology.CAMERA_STATS);
      CameraStats s = stats.get("cam-a");
      assertThat(s.persons()).isEqualTo(2);
      assertThat(s.emptyFrames()).isEqualTo(1);
      assertThat(s.stochasticShare()).isEqualTo(0.5);
      assertThat(s.meanSignal()).isCloseTo(0.3, within(1e-6));
      assertThat(s.personsPerSecond()).isCloseTo(2.0, within(1e-9));
      KeyValueStore<String, TrackJoints> tracks = driver.getKeyValueStore(TrackTopology.TRACKS);
      TrackJoints t = tracks.get(TrackTopology.trackKey("cam-a", 1));
      assertThat(t.updates()).isEqualTo(2);
      assertThat(t.lastSeq()).isEqualTo(1);
      assertThat(t.joints3d()[0]).isCloseTo(0.5f, within(1e-6f));
      // every result folded in goes out on the tracks topic, keyed by camera; the late copy of
      // frame 0 changes nothing and repeats the state
      var out =
          driver
              .createOutputTopic(
                  Topics.TRACKS.name(),
                  Serdes.String().deserializer(),
                  Topics.TRACKS.valueSerde().deserializer())
              .readKeyValuesToList();
      assertThat(out).hasSize(3);
      assertThat(out).allMatch(kv -> kv.key.equals("cam-a") && kv.value.getTrackId() == 1);
      assertThat(out.get(0).value.getJoints3D(0)).isZero();
      assertThat(out.get(1).value.getJoints3D(0)).isCloseTo(0.5f, within(1e-6f));
      assertThat(out.get(1).value.getFrame().getSeq()).isEqualTo(1);
      assertThat(out.get(1).value.getUpdates()).isEqualTo(2);
      assertThat(out.get(1).value.getAlpha()).isEqualTo(0.5f);
      assertThat(out.get(2).value).isEqualTo(out.get(1).value);
      var dead =
          driver.createOutputTopic(
              Topics.DEAD_LETTER.name(),
              Topics.DEAD_LETTER.keySerde().deserializer(),
              Topics.DEAD_LETTER.valueSerde().deserializer());
      var letters = dead.readValuesToList();
      assertThat(letters).hasSize(1);
      assertThat(letters.get(0).getStage()).isEqualTo(TrackTopology.STAGE);
      assertThat(letters.get(0).getSourceTopic()).isEqualTo(Topics.MESHES.name());
    }
  }
}
