package io.megastream.sink.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.broker.testing.SharedKafka;
import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.motion.MotionGenerator;
import io.megastream.mega.tokenizer.MeshBatches;
import io.megastream.mega.tokenizer.TokenizerModel;
import io.megastream.proto.Box;
import io.megastream.proto.FrameRef;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.RecoveryMode;
import io.megastream.proto.RecoveryStatus;
import io.megastream.proto.Topics;
import io.megastream.sink.decode.MeshDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Results on the real meshes topic out to OBJ and JSON lines, twice, the same both times. */
@ExtendWith(SharedKafka.class)
class ArchiveExportIT {

  @Test
  void shouldExportACamerasResultsAndReproduceThemOnReplay(
      EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    // Given: 4 frames of camera "export-a" (3 with a person, 1 empty), and another camera
    SkinnedBodyModel body = ProceduralBody.build();
    Map<String, Object> props = Map.of("bootstrap.servers", kafka.bootstrapServers());
    try (TokenizerModel tokenizer =
        TokenizerModel.load(Path.of("..", "models", "tokenizer"), body)) {
      MeshBatches meshes = new MeshBatches(body, tokenizer.config().scale());
      var clip = MotionGenerator.builder().setSeed(8).build().clip(1);
      List<MeshRecovery> results = new ArrayList<>();
      for (int seq = 0; seq < 3; seq++) {
        int[] tokens = tokenizer.encode(List.of(meshes.canonicalMesh(clip.frame(seq * 10))))[0];
        results.add(ok("export-a", seq, tokens));
      }
      results.add(
          MeshRecovery.newBuilder()
              .setSchemaVersion(1)
              .setFrame(FrameRef.newBuilder().setCameraId("export-a").setSeq(3))
              .setStatus(RecoveryStatus.RECOVERY_STATUS_NO_PERSONS)
              .setPersonIndex(-1)
              .setModelVersion("it")
              .build());
      int[] first0 = results.get(0).getTokensList().stream().mapToInt(i -> i).toArray();
      results.add(ok("export-b", 0, first0));
      publish(kafka, results);

      // When: exported twice, and once as a table only
      ArchiveExport export = new ArchiveExport(props, new MeshDecoder(tokenizer), body.faces());
      ArchiveExport.Result first =
          export.export(
              ArchiveExport.Range.all("export-a"), dir.resolve("one"), Duration.ofMinutes(1));
      ArchiveExport.Result again =
          export.export(
              ArchiveExport.Range.all("export-a"), dir.resolve("two"), Duration.ofMinutes(1));
      ArchiveExport.Result tableOnly =
          export.export(
              new ArchiveExport.Range(
                  "export-a", 0, Long.MAX_VALUE, 0, Long.MAX_VALUE, java.util.Set.of()),
              dir.resolve("table-only"),
              Duration.ofMinutes(1));

      // Then
      assertThat(first.results()).isEqualTo(4);
      assertThat(first.meshes()).isEqualTo(3);
      Path obj = dir.resolve("one").resolve("00000001-0.obj");
      List<String> lines = Files.readAllLines(obj);
      assertThat(lines.stream().filter(l -> l.startsWith("v "))).hasSize(body.vertexCount());
      assertThat(lines.stream().filter(l -> l.startsWith("f "))).hasSize(body.faces().length / 3);
      List<String> rows = Files.readAllLines(first.table());
      assertThat(rows).hasSize(4);
      assertThat(rows.get(0)).contains("\"status\":\"OK\"").contains("\"tokens\":[");
      assertThat(rows.get(3)).contains("\"status\":\"NO_PERSONS\"").doesNotContain("tokens");
      assertThat(Files.readAllBytes(dir.resolve("two").resolve("00000001-0.obj")))
          .isEqualTo(Files.readAllBytes(obj));
      assertThat(Files.readAllLines(again.table())).isEqualTo(rows);
      assertThat(tableOnly.meshes()).isZero();
      assertThat(tableOnly.sequences()).isZero();
      // one glTF animation of the person over its 3 frames, a valid GLB whose accessors fit
      assertThat(first.sequences()).isEqualTo(1);
      Path glb = dir.resolve("one").resolve("export-a-person-0.glb");
      GltfCheck.Summary gltf = GltfCheck.read(glb);
      assertThat(gltf.vertices()).isEqualTo(body.vertexCount());
      assertThat(gltf.triangles()).isEqualTo(body.faces().length / 3);
      assertThat(gltf.morphTargets()).isEqualTo(3);
      assertThat(gltf.keyTimes()).containsExactly(0f, 0.04f, 0.08f);
      assertThat(Files.readAllBytes(dir.resolve("two").resolve("export-a-person-0.glb")))
          .isEqualTo(Files.readAllBytes(glb));
      assertThat(Files.exists(dir.resolve("table-only").resolve("00000000-0.obj"))).isFalse();
    }
  }

  private static MeshRecovery ok(String camera, long seq, int[] tokens) {
    MeshRecovery.Builder b =
        MeshRecovery.newBuilder()
            .setSchemaVersion(1)
            .setFrame(
                FrameRef.newBuilder()
                    .setCameraId(camera)
                    .setSeq(seq)
                    .setCaptureTimeUs(1_700_000_000_000_000L + seq * 40_000))
            .setStatus(RecoveryStatus.RECOVERY_STATUS_OK)
            .setPersonIndex(0)
            .setPersonsInFrame(1)
            .setBox(Box.newBuilder().setX(100).setY(40).setWidth(60).setHeight(150))
            .setMode(RecoveryMode.RECOVERY_MODE_DETERMINISTIC)
            .setConfidence(0.3f)
            .setModelVersion("it")
            .addAllRotation6D(List.of(1f, 0f, 0f, 0f, 1f, 0f))
            .addAllCamera(List.of(0.6f, 0f, 0f));
    for (int t : tokens) {
      b.addTokens(t);
    }
    return b.build();
  }

  private static void publish(EmbeddedKafkaBroker kafka, List<MeshRecovery> results)
      throws Exception {
    Properties p = kafka.clientProperties();
    p.put("enable.idempotence", "true");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (MeshRecovery m : results) {
        producer.send(Topics.MESHES.record(m.getFrame().getCameraId(), m)).get();
      }
    }
  }
}
