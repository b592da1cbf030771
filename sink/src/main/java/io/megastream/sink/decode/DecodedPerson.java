package io.megastream.sink.decode;

import io.megastream.proto.MeshRecovery;

/**
 * One result of the recover worker, decoded: what a consumer that cannot run the tokenizer needs.
 *
 * @param result the {@code meshes} record it came from
 * @param vertices V × 3, metres, camera axes (x right, y down, z forward), pelvis at the origin;
 *     empty unless the result is {@code OK}
 * @param joints3d 24 × 3, same frame; empty unless {@code OK}
 * @param joints2d 24 × 2, pixels of the frame (the crop's weak-perspective camera mapped back);
 *     empty unless {@code OK}
 * @param vertexSdMm per-vertex uncertainty of the person's samples, or null when not sampled
 */
public record DecodedPerson(
    MeshRecovery result, float[] vertices, float[] joints3d, float[] joints2d, float[] vertexSdMm) {

  /** Whether a mesh was recovered (status {@code OK}). */
  public boolean hasMesh() {
    return vertices.length > 0;
  }
}
