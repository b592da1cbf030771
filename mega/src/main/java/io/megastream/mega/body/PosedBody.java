package io.megastream.mega.body;

/**
 * A posed mesh: vertices and joint positions, metres, in the body model's frame (y up, the body
 * faces +z, its left is +x).
 *
 * @param vertices V x 3, row-major
 * @param joints 24 x 3: the kinematic joints (where the rotations act)
 */
public record PosedBody(float[] vertices, float[] joints) {

  public int vertexCount() {
    return vertices.length / 3;
  }
}
