package io.megastream.sink.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a GLB back and checks what a glTF loader relies on: header and chunk lengths, every buffer
 * view inside the binary chunk, every accessor inside its view, POSITION bounds present.
 */
final class GltfCheck {

  record Summary(int vertices, int triangles, int morphTargets, float[] keyTimes) {}

  private GltfCheck() {}

  static Summary read(Path file) throws Exception {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getInt()).as("magic").isEqualTo(0x46546C67);
    assertThat(b.getInt()).as("version").isEqualTo(2);
    assertThat(b.getInt()).as("total length").isEqualTo(b.capacity());
    int jsonLength = b.getInt();
    assertThat(b.getInt()).as("JSON chunk").isEqualTo(0x4E4F534A);
    byte[] json = new byte[jsonLength];
    b.get(json);
    int binLength = b.getInt();
    assertThat(b.getInt()).as("BIN chunk").isEqualTo(0x004E4942);
    ByteBuffer bin = b.slice().order(ByteOrder.LITTLE_ENDIAN);
    assertThat(bin.remaining()).isEqualTo(binLength);

    JsonObject g =
        JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject();
    assertThat(g.getAsJsonObject("asset").get("version").getAsString()).isEqualTo("2.0");
    int bufferLength =
        g.getAsJsonArray("buffers").get(0).getAsJsonObject().get("byteLength").getAsInt();
    assertThat(bufferLength).isLessThanOrEqualTo(binLength);
    JsonArray views = g.getAsJsonArray("bufferViews");
    for (var v : views) {
      JsonObject o = v.getAsJsonObject();
      assertThat(o.get("byteOffset").getAsInt() + o.get("byteLength").getAsInt())
          .isLessThanOrEqualTo(bufferLength);
    }
    JsonArray accessors = g.getAsJsonArray("accessors");
    for (var a : accessors) {
      JsonObject o = a.getAsJsonObject();
      int components =
          switch (o.get("type").getAsString()) {
            case "SCALAR" -> 1;
            case "VEC3" -> 3;
            default -> throw new AssertionError(o);
          };
      JsonObject view = views.get(o.get("bufferView").getAsInt()).getAsJsonObject();
      assertThat(o.get("count").getAsInt() * components * 4)
          .isLessThanOrEqualTo(view.get("byteLength").getAsInt());
    }
    JsonObject primitive =
        g.getAsJsonArray("meshes")
            .get(0)
            .getAsJsonObject()
            .getAsJsonArray("primitives")
            .get(0)
            .getAsJsonObject();
    JsonObject position =
        accessors
            .get(primitive.getAsJsonObject("attributes").get("POSITION").getAsInt())
            .getAsJsonObject();
    assertThat(position.has("min") && position.has("max")).isTrue();
    JsonObject indices = accessors.get(primitive.get("indices").getAsInt()).getAsJsonObject();
    JsonArray targets = primitive.getAsJsonArray("targets");
    for (var t : targets) {
      JsonObject a =
          accessors.get(t.getAsJsonObject().get("POSITION").getAsInt()).getAsJsonObject();
      assertThat(a.has("min") && a.has("max")).isTrue();
    }
    JsonObject sampler =
        g.getAsJsonArray("animations")
            .get(0)
            .getAsJsonObject()
            .getAsJsonArray("samplers")
            .get(0)
            .getAsJsonObject();
    JsonObject input = accessors.get(sampler.get("input").getAsInt()).getAsJsonObject();
    JsonObject inputView = views.get(input.get("bufferView").getAsInt()).getAsJsonObject();
    float[] times = new float[input.get("count").getAsInt()];
    for (int i = 0; i < times.length; i++) {
      times[i] = bin.getFloat(inputView.get("byteOffset").getAsInt() + 4 * i);
    }
    return new Summary(
        position.get("count").getAsInt(),
        indices.get("count").getAsInt() / 3,
        targets.size(),
        times);
  }
}
