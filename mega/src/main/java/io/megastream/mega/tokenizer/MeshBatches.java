package io.megastream.mega.tokenizer;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.SkinnedBodyModel;
import java.util.List;

/**
 * Turns body parameters into the tokenizer's input: canonical meshes (no global rotation, no
 * translation) as offsets from the template, in units of {@code scale}. Thread-safe.
 */
public final class MeshBatches {

  private final SkinnedBodyModel body;
  private final float[] template;
  private final double scale;

  public MeshBatches(SkinnedBodyModel body, double scale) {
    this.body = body;
    this.template = body.template();
    this.scale = scale;
  }

  /** The canonical mesh of one body, V x 3, metres. */
  public float[] canonicalMesh(BodyParams params) {
    return body.forward(params.canonical()).vertices();
  }

  /** Normalised offsets of a batch of bodies: B x V x 3, flattened. */
  public float[] offsets(List<BodyParams> batch) {
    int n = template.length;
    float[] out = new float[batch.size() * n];
    for (int b = 0; b < batch.size(); b++) {
      float[] v = canonicalMesh(batch.get(b));
      for (int i = 0; i < n; i++) {
        out[b * n + i] = (float) ((v[i] - template[i]) / scale);
      }
    }
    return out;
  }

  /** Normalised offsets of meshes already computed: B x V x 3, flattened. */
  public float[] offsetsOfMeshes(List<float[]> meshes) {
    int n = template.length;
    float[] out = new float[meshes.size() * n];
    for (int b = 0; b < meshes.size(); b++) {
      float[] v = meshes.get(b);
      for (int i = 0; i < n; i++) {
        out[b * n + i] = (float) ((v[i] - template[i]) / scale);
      }
    }
    return out;
  }

  /** Back from normalised offsets (V x 3) to vertices in metres. */
  public float[] vertices(float[] offsets, int meshIndex) {
    int n = template.length;
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (template[i] + offsets[meshIndex * n + i] * scale);
    }
    return v;
  }

  public int vertexCount() {
    return template.length / 3;
  }

  public SkinnedBodyModel body() {
    return body;
  }
}
