package io.megastream.sink.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.megastream.proto.Box;
import io.megastream.proto.DecodedMesh;
import io.megastream.proto.FrameRef;
import io.megastream.proto.RecoveryMode;
import io.megastream.proto.RecoveryStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewerEventsTest {

  @Test
  void shouldCarryVerticesAsMillimetresAndSdAsBytes() {
    // Given: a decoded person with two vertices and their SDs
    DecodedMesh m =
        DecodedMesh.newBuilder()
            .setFrame(
                FrameRef.newBuilder().setCameraId("cam \"7\"").setSeq(42).setCaptureTimeUs(1_000))
            .setStatus(RecoveryStatus.RECOVERY_STATUS_OK)
            .setPersonIndex(1)
            .setTrackId(9)
            .setBox(Box.newBuilder().setX(1).setY(2).setWidth(3).setHeight(4))
            .setMode(RecoveryMode.RECOVERY_MODE_STOCHASTIC)
            .setConfidence(0.5f)
            .setModelVersion("m-1")
            .addAllVertices(List.of(0.0014f, -0.25f, 1.5f, -1.2346f, 0f, 40f))
            .addAllJoints2D(List.of(10f, 20f))
            .addAllVertexSdMm(List.of(12.4f, 400f))
            .build();

    // When
    ViewerClients.Event e = ViewerEvents.mesh(m, new FrameStore.Stored(42, 640, 480, new byte[0]));

    // Then: one line of JSON the page can read
    assertThat(e.name()).isEqualTo("mesh");
    assertThat(e.data()).doesNotContain("\n");
    JsonObject j = JsonParser.parseString(e.data()).getAsJsonObject();
    assertThat(j.get("camera").getAsString()).isEqualTo("cam \"7\"");
    assertThat(j.get("seq").getAsLong()).isEqualTo(42);
    assertThat(j.get("track").getAsLong()).isEqualTo(9);
    assertThat(j.get("mode").getAsString()).isEqualTo("stochastic");
    assertThat(j.getAsJsonArray("frame").get(0).getAsInt()).isEqualTo(640);
    ByteBuffer v =
        ByteBuffer.wrap(Base64.getDecoder().decode(j.get("v").getAsString()))
            .order(ByteOrder.LITTLE_ENDIAN);
    // millimetres, rounded; 40 m is beyond int16 mm and clamps
    assertThat(
            new short[] {
              v.getShort(), v.getShort(), v.getShort(), v.getShort(), v.getShort(), v.getShort()
            })
        .containsExactly(1, -250, 1500, -1235, 0, Short.MAX_VALUE);
    assertThat(Base64.getDecoder().decode(j.get("sd").getAsString()))
        .containsExactly((byte) 12, (byte) 255);
  }

  @Test
  void shouldSendAnEmptyFrameWithoutMesh() {
    DecodedMesh m =
        DecodedMesh.newBuilder()
            .setFrame(FrameRef.newBuilder().setCameraId("c").setSeq(1))
            .setStatus(RecoveryStatus.RECOVERY_STATUS_NO_PERSONS)
            .build();

    JsonObject j = JsonParser.parseString(ViewerEvents.mesh(m, null).data()).getAsJsonObject();

    assertThat(j.get("status").getAsString()).isEqualTo("NO_PERSONS");
    assertThat(j.has("v")).isFalse();
    assertThat(j.has("frame")).isFalse();
  }
}
