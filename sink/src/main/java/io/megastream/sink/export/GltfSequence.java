package io.megastream.sink.export;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.megastream.sink.decode.DecodedPerson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One person's meshes over time as a binary glTF 2.0 file ({@code .glb}) that Blender, three.js and
 * other glTF viewers play as an animation: the first mesh is the base, every frame is a morph
 * target (its displacement from the base) and one animation switches the targets on at the frames'
 * capture times (STEP interpolation: the mesh holds until the next result). Camera-frame metres as
 * recovered (x right, y down, z forward, pelvis at the origin) under a root node turned 180° about
 * x, so glTF's y-up shows the person upright. Stateless.
 */
public final class GltfSequence {

  private static final int GLB_MAGIC = 0x46546C67; // "glTF"
  private static final int CHUNK_JSON = 0x4E4F534A;
  private static final int CHUNK_BIN = 0x004E4942;
  private static final int FLOAT = 5126;
  private static final int UNSIGNED_INT = 5125;
  private static final int ARRAY_BUFFER = 34962;
  private static final int ELEMENT_ARRAY_BUFFER = 34963;

  private GltfSequence() {}

  /**
   * Writes the sequence.
   *
   * @param frames one person's decoded results with a mesh, in capture order
   * @param faces the body model's triangles
   * @param name the node's name (e.g. camera and track)
   * @throws IllegalArgumentException if there is no frame or the meshes differ in size
   */
  public static void write(Path file, List<DecodedPerson> frames, int[] faces, String name)
      throws IOException {
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("no meshes for " + name);
    }
    float[] base = frames.get(0).vertices();
    int n = frames.size();
    int vertexBytes = base.length * 4;
    int indexBytes = faces.length * 4;
    int timeBytes = n * 4;
    int weightBytes = n * n * 4;
    ByteBuffer bin =
        ByteBuffer.allocate(indexBytes + vertexBytes * (n + 1) + timeBytes + weightBytes)
            .order(ByteOrder.LITTLE_ENDIAN);

    JsonArray views = new JsonArray();
    JsonArray accessors = new JsonArray();
    // indices
    for (int f : faces) {
      bin.putInt(f);
    }
    views.add(view(0, indexBytes, ELEMENT_ARRAY_BUFFER));
    accessors.add(accessor(0, UNSIGNED_INT, faces.length, "SCALAR"));
    // base positions
    int offset = indexBytes;
    putVec3(bin, base, null);
    views.add(view(offset, vertexBytes, ARRAY_BUFFER));
    accessors.add(withBounds(accessor(1, FLOAT, base.length / 3, "VEC3"), base, null));
    offset += vertexBytes;
    // one morph target per frame: displacement from the base
    JsonArray targets = new JsonArray();
    for (int k = 0; k < n; k++) {
      float[] v = frames.get(k).vertices();
      if (v.length != base.length) {
        throw new IllegalArgumentException(
            name
                + ": frame "
                + k
                + " has "
                + v.length / 3
                + " vertices, the first "
                + base.length / 3);
      }
      putVec3(bin, v, base);
      views.add(view(offset, vertexBytes, ARRAY_BUFFER));
      accessors.add(withBounds(accessor(views.size() - 1, FLOAT, v.length / 3, "VEC3"), v, base));
      JsonObject t = new JsonObject();
      t.addProperty("POSITION", accessors.size() - 1);
      targets.add(t);
      offset += vertexBytes;
    }
    // animation: time (s from the first capture) -> one-hot weights
    long t0 = frames.get(0).result().getFrame().getCaptureTimeUs();
    float last = 0;
    for (int k = 0; k < n; k++) {
      // strictly increasing even if two results share a capture time
      float t =
          Math.max(
              (frames.get(k).result().getFrame().getCaptureTimeUs() - t0) / 1e6f,
              k == 0 ? 0 : last + 1e-3f);
      bin.putFloat(t);
      last = t;
    }
    views.add(view(offset, timeBytes, -1));
    JsonObject time = accessor(views.size() - 1, FLOAT, n, "SCALAR");
    time.add("min", array(0f));
    time.add("max", array(last));
    accessors.add(time);
    int timeAccessor = accessors.size() - 1;
    offset += timeBytes;
    for (int k = 0; k < n; k++) {
      for (int j = 0; j < n; j++) {
        bin.putFloat(j == k ? 1f : 0f);
      }
    }
    views.add(view(offset, weightBytes, -1));
    accessors.add(accessor(views.size() - 1, FLOAT, n * n, "SCALAR"));
    int weightAccessor = accessors.size() - 1;

    JsonObject gltf = new JsonObject();
    JsonObject asset = new JsonObject();
    asset.addProperty("version", "2.0");
    asset.addProperty("generator", "MegaStream export");
    gltf.add("asset", asset);
    gltf.addProperty("scene", 0);
    JsonObject scene = new JsonObject();
    scene.add("nodes", array(0));
    gltf.add("scenes", single(scene));
    JsonObject root = new JsonObject();
    root.addProperty("name", name + " (camera frame)");
    root.add("rotation", array(1f, 0f, 0f, 0f)); // 180° about x: camera y-down -> glTF y-up
    root.add("children", array(1));
    JsonObject node = new JsonObject();
    node.addProperty("name", name);
    node.addProperty("mesh", 0);
    JsonArray nodes = new JsonArray();
    nodes.add(root);
    nodes.add(node);
    gltf.add("nodes", nodes);
    JsonObject primitive = new JsonObject();
    JsonObject attributes = new JsonObject();
    attributes.addProperty("POSITION", 1);
    primitive.add("attributes", attributes);
    primitive.addProperty("indices", 0);
    primitive.add("targets", targets);
    JsonObject mesh = new JsonObject();
    mesh.addProperty("name", name);
    mesh.add("primitives", single(primitive));
    JsonArray weights = new JsonArray();
    for (int k = 0; k < n; k++) {
      weights.add(k == 0 ? 1 : 0);
    }
    mesh.add("weights", weights);
    gltf.add("meshes", single(mesh));
    JsonObject sampler = new JsonObject();
    sampler.addProperty("input", timeAccessor);
    sampler.addProperty("output", weightAccessor);
    sampler.addProperty("interpolation", "STEP");
    JsonObject target = new JsonObject();
    target.addProperty("node", 1);
    target.addProperty("path", "weights");
    JsonObject channel = new JsonObject();
    channel.addProperty("sampler", 0);
    channel.add("target", target);
    JsonObject animation = new JsonObject();
    animation.addProperty("name", name);
    animation.add("samplers", single(sampler));
    animation.add("channels", single(channel));
    gltf.add("animations", single(animation));
    JsonObject buffer = new JsonObject();
    buffer.addProperty("byteLength", bin.capacity());
    gltf.add("buffers", single(buffer));
    gltf.add("bufferViews", views);
    gltf.add("accessors", accessors);

    writeGlb(file, gltf.toString().getBytes(StandardCharsets.UTF_8), bin.array());
  }

  private static void writeGlb(Path file, byte[] json, byte[] bin) throws IOException {
    int jsonPadded = (json.length + 3) & ~3;
    int binPadded = (bin.length + 3) & ~3;
    ByteBuffer head = ByteBuffer.allocate(12 + 8).order(ByteOrder.LITTLE_ENDIAN);
    head.putInt(GLB_MAGIC).putInt(2).putInt(12 + 8 + jsonPadded + 8 + binPadded);
    head.putInt(jsonPadded).putInt(CHUNK_JSON);
    ByteBuffer binHead = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    binHead.putInt(binPadded).putInt(CHUNK_BIN);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(head.array());
      out.write(json);
      for (int i = json.length; i < jsonPadded; i++) {
        out.write(' ');
      }
      out.write(binHead.array());
      out.write(bin);
      out.write(new byte[binPadded - bin.length]);
    }
  }

  private static void putVec3(ByteBuffer bin, float[] v, float[] minus) {
    for (int i = 0; i < v.length; i++) {
      bin.putFloat(minus == null ? v[i] : v[i] - minus[i]);
    }
  }

  private static JsonObject view(int offset, int length, int target) {
    JsonObject o = new JsonObject();
    o.addProperty("buffer", 0);
    o.addProperty("byteOffset", offset);
    o.addProperty("byteLength", length);
    if (target > 0) {
      o.addProperty("target", target);
    }
    return o;
  }

  private static JsonObject accessor(int view, int componentType, int count, String type) {
    JsonObject o = new JsonObject();
    o.addProperty("bufferView", view);
    o.addProperty("componentType", componentType);
    o.addProperty("count", count);
    o.addProperty("type", type);
    return o;
  }

  /** POSITION accessors must carry their bounds. */
  private static JsonObject withBounds(JsonObject accessor, float[] v, float[] minus) {
    float[] min = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE};
    float[] max = {-Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
    for (int i = 0; i < v.length; i++) {
      float x = minus == null ? v[i] : v[i] - minus[i];
      min[i % 3] = Math.min(min[i % 3], x);
      max[i % 3] = Math.max(max[i % 3], x);
    }
    accessor.add("min", array(min[0], min[1], min[2]));
    accessor.add("max", array(max[0], max[1], max[2]));
    return accessor;
  }

  private static JsonArray array(float... v) {
    JsonArray a = new JsonArray();
    for (float x : v) {
      a.add(x);
    }
    return a;
  }

  private static JsonArray array(int... v) {
    JsonArray a = new JsonArray();
    for (int x : v) {
      a.add(x);
    }
    return a;
  }

  private static JsonArray single(JsonObject o) {
    JsonArray a = new JsonArray();
    a.add(o);
    return a;
  }
}
