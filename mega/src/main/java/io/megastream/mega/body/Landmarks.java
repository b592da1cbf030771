package io.megastream.mega.body;

import java.util.List;
import java.util.Objects;

/**
 * Where MediaPipe BlazePose's 33 landmarks sit on a body mesh: each landmark is a weighted
 * combination of vertices, so it follows the surface for any pose and shape. Immutable and
 * thread-safe.
 */
public final class Landmarks {

  /** BlazePose's 33 landmark names, in BlazePose's order. */
  public static final List<String> NAMES =
      List.of(
          "nose",
          "left_eye_inner",
          "left_eye",
          "left_eye_outer",
          "right_eye_inner",
          "right_eye",
          "right_eye_outer",
          "left_ear",
          "right_ear",
          "mouth_left",
          "mouth_right",
          "left_shoulder",
          "right_shoulder",
          "left_elbow",
          "right_elbow",
          "left_wrist",
          "right_wrist",
          "left_pinky",
          "right_pinky",
          "left_index",
          "right_index",
          "left_thumb",
          "right_thumb",
          "left_hip",
          "right_hip",
          "left_knee",
          "right_knee",
          "left_ankle",
          "right_ankle",
          "left_heel",
          "right_heel",
          "left_foot_index",
          "right_foot_index");

  /** Number of landmarks (33). */
  public static final int COUNT = 33;

  private final int[][] vertices;
  private final float[][] weights;

  /**
   * @param vertices per landmark, the vertex indices
   * @param weights per landmark, the weights (summing to 1)
   * @throws IllegalArgumentException unless there are 33 landmarks with matching, normalised
   *     weights
   */
  public Landmarks(int[][] vertices, float[][] weights) {
    Objects.requireNonNull(vertices, "vertices");
    Objects.requireNonNull(weights, "weights");
    if (vertices.length != COUNT || weights.length != COUNT) {
      throw new IllegalArgumentException("need 33 landmarks");
    }
    this.vertices = new int[COUNT][];
    this.weights = new float[COUNT][];
    for (int i = 0; i < COUNT; i++) {
      if (vertices[i].length == 0 || vertices[i].length != weights[i].length) {
        throw new IllegalArgumentException(
            "landmark " + NAMES.get(i) + " has no or mismatched vertices");
      }
      double sum = 0;
      for (float w : weights[i]) {
        sum += w;
      }
      if (Math.abs(sum - 1) > 1e-3) {
        throw new IllegalArgumentException(
            "weights of landmark " + NAMES.get(i) + " sum to " + sum);
      }
      this.vertices[i] = vertices[i].clone();
      this.weights[i] = weights[i].clone();
    }
  }

  /** Landmark positions on a (posed) mesh: 33 x 3. */
  public float[] positions(float[] meshVertices) {
    float[] out = new float[COUNT * 3];
    for (int i = 0; i < COUNT; i++) {
      for (int k = 0; k < vertices[i].length; k++) {
        int v = vertices[i][k] * 3;
        float w = weights[i][k];
        out[i * 3] += w * meshVertices[v];
        out[i * 3 + 1] += w * meshVertices[v + 1];
        out[i * 3 + 2] += w * meshVertices[v + 2];
      }
    }
    return out;
  }

  /** The vertex indices of one landmark (a copy). */
  public int[] vertices(int landmark) {
    return vertices[landmark].clone();
  }

  /** The weights of one landmark (a copy). */
  public float[] weights(int landmark) {
    return weights[landmark].clone();
  }
}
