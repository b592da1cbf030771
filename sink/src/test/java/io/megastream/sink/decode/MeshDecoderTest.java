package io.megastream.sink.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.motion.MotionGenerator;
import io.megastream.mega.tokenizer.MeshBatches;
import io.megastream.mega.tokenizer.TokenizerModel;
import io.megastream.proto.Box;
import io.megastream.proto.FrameRef;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.RecoveryStatus;
import io.megastream.proto.StochasticSamples;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MeshDecoderTest {

  private static SkinnedBodyModel body;
  private static TokenizerModel tokenizer;

  @BeforeAll
  static void load() throws Exception {
    body = ProceduralBody.build();
    tokenizer = TokenizerModel.load(Path.of("..", "models", "tokenizer"), body);
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  private static MeshRecovery.Builder result(int[] tokens, float s, float tx, float ty) {
    MeshRecovery.Builder b =
        MeshRecovery.newBuilder()
            .setSchemaVersion(1)
            .setFrame(FrameRef.newBuilder().setCameraId("cam").setSeq(7))
            .setStatus(RecoveryStatus.RECOVERY_STATUS_OK)
            .setPersonIndex(0)
            .setBox(Box.newBuilder().setX(100).setY(50).setWidth(60).setHeight(160))
            // identity rotation: first two columns (1, 0, 0) and (0, 1, 0)
            .addRotation6D(1)
            .addRotation6D(0)
            .addRotation6D(0)
            .addRotation6D(0)
            .addRotation6D(1)
            .addRotation6D(0)
            .addCamera(s)
            .addCamera(tx)
            .addCamera(ty);
    for (int t : tokens) {
      b.addTokens(t);
    }
    return b;
  }

  @Test
  void shouldDecodeTokensIntoTheMeshAndMapJointsBackIntoTheFrame() {
    // Given: the tokens of a real body, an identity rotation and a camera that shifts by tx
    var params = MotionGenerator.builder().setSeed(3).build().clip(0).frame(10);
    float[] truth = new MeshBatches(body, tokenizer.config().scale()).canonicalMesh(params);
    int[] tokens = tokenizer.encode(List.of(truth))[0];
    MeshRecovery ok = result(tokens, 0.5f, 0.1f, -0.05f).build();
    MeshRecovery empty =
        MeshRecovery.newBuilder()
            .setSchemaVersion(1)
            .setFrame(FrameRef.newBuilder().setCameraId("cam").setSeq(8))
            .setStatus(RecoveryStatus.RECOVERY_STATUS_NO_PERSONS)
            .setPersonIndex(-1)
            .build();
    StochasticSamples samples =
        StochasticSamples.newBuilder()
            .setSchemaVersion(1)
            .setFrame(ok.getFrame())
            .setPersonIndex(0)
            .addVertexSdMm(3f)
            .build();

    // When
    List<DecodedPerson> decoded =
        new MeshDecoder(tokenizer)
            .decode(List.of(ok, empty), Map.of(MeshDecoder.key(samples), samples));

    // Then: the mesh is the tokenizer's reconstruction, pelvis at the origin
    DecodedPerson p = decoded.get(0);
    assertThat(p.vertices()).hasSize(body.vertexCount() * 3);
    assertThat(p.joints3d()[0]).isCloseTo(0f, within(1e-5f));
    assertThat(p.joints3d()[1]).isCloseTo(0f, within(1e-5f));
    assertThat(
            io.megastream.mega.body.Meshes.meanVertexDistance(
                p.vertices(), MeshDecoderTest.centred(truth)))
        .isLessThan(0.05);
    // the pelvis (at the origin) lands at the crop centre + (tx, ty) of the crop side
    double side = 160 * 1.25;
    assertThat((double) p.joints2d()[0]).isCloseTo(130 + 0.1 * side, within(0.01));
    assertThat((double) p.joints2d()[1]).isCloseTo(130 - 0.05 * side, within(0.01));
    assertThat(p.vertexSdMm()).containsExactly(3f);
    assertThat(decoded.get(1).hasMesh()).isFalse();
  }

  @Test
  void shouldRejectResultsItCannotDecode() {
    MeshDecoder decoder = new MeshDecoder(tokenizer);
    MeshRecovery shortTokens = result(new int[] {1, 2, 3}, 1, 0, 0).build();
    assertThatThrownBy(() -> decoder.decode(List.of(shortTokens), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 tokens");
    int[] bad = new int[54];
    bad[5] = 9999;
    assertThatThrownBy(() -> decoder.decode(List.of(result(bad, 1, 0, 0).build()), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside the codebook");
  }

  /** The canonical mesh moved so its pelvis joint is at the origin. */
  static float[] centred(float[] mesh) {
    float[] j = body.regressJoints(mesh);
    float[] out = mesh.clone();
    for (int i = 0; i < out.length; i += 3) {
      out[i] -= j[0];
      out[i + 1] -= j[1];
      out[i + 2] -= j[2];
    }
    return out;
  }
}
