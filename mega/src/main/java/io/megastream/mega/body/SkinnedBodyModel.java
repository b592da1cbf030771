package io.megastream.mega.body;

import java.util.Objects;

/**
 * A body model in SMPL's form: a template mesh, linear shape blend shapes, optional pose blend
 * shapes, a joint regressor, linear-blend-skinning weights over SMPL's 24-joint tree, and triangle
 * faces. The procedural MegaStream body and SMPL-format files (see {@code SmplNpz}) both load into
 * this class, so they share one forward-kinematics implementation. Immutable and thread-safe.
 *
 * <p>Forward kinematics, as in SMPL: shaped template {@code T + S·β}; rest joints regressed from
 * it; per-joint rotations by Rodrigues; pose blend shapes on {@code (R_k − I)} for joints 1..23;
 * world transforms along the tree; each vertex moved by the weighted sum of its joints' transforms;
 * translation added.
 */
public final class SkinnedBodyModel {

  /** Pose-feature length of SMPL's pose blend shapes: 23 joints x 9. */
  public static final int POSE_FEATURES = (Joint.COUNT - 1) * 9;

  private final String name;
  private final int vertexCount;
  private final int shapeCount;
  private final float[] template;
  private final float[] shapeDirs;
  private final float[] poseDirs;
  private final int[][] regressorVertices;
  private final float[][] regressorWeights;
  private final int[][] skinJoints;
  private final float[][] skinWeights;
  private final int[] faces;
  private final int[] parents;
  private final Landmarks landmarks;

  /**
   * @param name model name (recorded with every result)
   * @param template V x 3 rest vertices
   * @param shapeDirs V x 3 x B shape blend shapes (row-major, B fastest), may have B = 0
   * @param poseDirs V x 3 x 207 pose blend shapes, or null for none
   * @param jointRegressor 24 x V dense regressor (rows sum to 1)
   * @param weights V x 24 skinning weights (rows sum to 1)
   * @param faces F x 3 vertex indices, counter-clockwise seen from outside
   * @param parents SMPL's kinematic tree, 24 entries
   * @param landmarks BlazePose landmark definitions on this mesh, or null if not defined
   * @throws IllegalArgumentException if the array sizes do not agree
   */
  public SkinnedBodyModel(
      String name,
      float[] template,
      float[] shapeDirs,
      float[] poseDirs,
      float[] jointRegressor,
      float[] weights,
      int[] faces,
      int[] parents,
      Landmarks landmarks) {
    this.name = Objects.requireNonNull(name, "name");
    if (template.length % 3 != 0 || template.length == 0) {
      throw new IllegalArgumentException("template must be V x 3");
    }
    this.vertexCount = template.length / 3;
    if (shapeDirs.length % (vertexCount * 3) != 0) {
      throw new IllegalArgumentException(
          "shapedirs has "
              + shapeDirs.length
              + " values, not a multiple of V x 3 = "
              + vertexCount * 3);
    }
    this.shapeCount = shapeDirs.length / (vertexCount * 3);
    if (poseDirs != null && poseDirs.length != vertexCount * 3 * POSE_FEATURES) {
      throw new IllegalArgumentException("posedirs must be V x 3 x 207");
    }
    if (jointRegressor.length != Joint.COUNT * vertexCount) {
      throw new IllegalArgumentException("J_regressor must be 24 x V");
    }
    if (weights.length != vertexCount * Joint.COUNT) {
      throw new IllegalArgumentException("weights must be V x 24");
    }
    if (faces.length % 3 != 0) {
      throw new IllegalArgumentException("faces must be F x 3");
    }
    for (int f : faces) {
      if (f < 0 || f >= vertexCount) {
        throw new IllegalArgumentException("face index " + f + " outside 0.." + (vertexCount - 1));
      }
    }
    if (parents.length != Joint.COUNT) {
      throw new IllegalArgumentException("kinematic tree must have 24 joints");
    }
    if (parents[0] != -1) {
      // forward() treats joint 0 as the root; any other value would read an unset transform
      throw new IllegalArgumentException("joint 0 must be the root (parent -1)");
    }
    for (int k = 1; k < Joint.COUNT; k++) {
      if (parents[k] < 0 || parents[k] >= k) {
        throw new IllegalArgumentException("parent of joint " + k + " must come before it");
      }
    }
    this.template = template.clone();
    this.shapeDirs = shapeDirs.clone();
    this.poseDirs = poseDirs == null ? null : poseDirs.clone();
    this.faces = faces.clone();
    this.parents = parents.clone();
    this.landmarks = landmarks;
    this.regressorVertices = new int[Joint.COUNT][];
    this.regressorWeights = new float[Joint.COUNT][];
    sparseRows(jointRegressor, Joint.COUNT, vertexCount, regressorVertices, regressorWeights);
    this.skinJoints = new int[vertexCount][];
    this.skinWeights = new float[vertexCount][];
    sparseRows(weights, vertexCount, Joint.COUNT, skinJoints, skinWeights);
  }

  /** The non-zero entries of each row of a dense rows x cols matrix: column indices and values. */
  private static void sparseRows(
      float[] dense, int rows, int cols, int[][] columns, float[][] values) {
    for (int r = 0; r < rows; r++) {
      int n = 0;
      for (int c = 0; c < cols; c++) {
        if (dense[r * cols + c] != 0) {
          n++;
        }
      }
      columns[r] = new int[n];
      values[r] = new float[n];
      n = 0;
      for (int c = 0; c < cols; c++) {
        float w = dense[r * cols + c];
        if (w != 0) {
          columns[r][n] = c;
          values[r][n++] = w;
        }
      }
    }
  }

  public String name() {
    return name;
  }

  public int vertexCount() {
    return vertexCount;
  }

  public int shapeCount() {
    return shapeCount;
  }

  /** Triangle vertex indices, F x 3 (a copy). */
  public int[] faces() {
    return faces.clone();
  }

  public int faceCount() {
    return faces.length / 3;
  }

  /** Rest vertices at the mean shape, V x 3 (a copy). */
  public float[] template() {
    return template.clone();
  }

  /** The kinematic tree (a copy). */
  public int[] parents() {
    return parents.clone();
  }

  /** Whether the model has pose blend shapes. */
  public boolean hasPoseBlendShapes() {
    return poseDirs != null;
  }

  /** BlazePose landmarks on this mesh, or null when the model does not define them. */
  public Landmarks landmarks() {
    return landmarks;
  }

  /** Skinning weights of one vertex as a dense 24-vector. */
  public float[] skinWeights(int vertex) {
    float[] w = new float[Joint.COUNT];
    for (int i = 0; i < skinJoints[vertex].length; i++) {
      w[skinJoints[vertex][i]] = skinWeights[vertex][i];
    }
    return w;
  }

  /** The template with shape blend shapes applied: V x 3. */
  public float[] shaped(double[] shape) {
    if (shape.length > shapeCount) {
      throw new IllegalArgumentException(
          "model " + name + " has " + shapeCount + " shape coefficients, got " + shape.length);
    }
    float[] v = template.clone();
    if (shape.length == 0) {
      return v;
    }
    for (int i = 0; i < vertexCount * 3; i++) {
      double d = 0;
      int base = i * shapeCount;
      for (int b = 0; b < shape.length; b++) {
        d += shapeDirs[base + b] * shape[b];
      }
      v[i] += (float) d;
    }
    return v;
  }

  /** The 24 joints regressed from a mesh (V x 3) with the joint regressor: 24 x 3. */
  public float[] regressJoints(float[] vertices) {
    float[] j = new float[Joint.COUNT * 3];
    for (int k = 0; k < Joint.COUNT; k++) {
      double x = 0;
      double y = 0;
      double z = 0;
      for (int i = 0; i < regressorVertices[k].length; i++) {
        int v = regressorVertices[k][i] * 3;
        double w = regressorWeights[k][i];
        x += w * vertices[v];
        y += w * vertices[v + 1];
        z += w * vertices[v + 2];
      }
      j[k * 3] = (float) x;
      j[k * 3 + 1] = (float) y;
      j[k * 3 + 2] = (float) z;
    }
    return j;
  }

  /**
   * Poses the body.
   *
   * @throws IllegalArgumentException if there are more shape coefficients than the model has
   */
  public PosedBody forward(BodyParams params) {
    double[] pose = params.pose();
    double[] trans = params.translation();
    float[] shaped = shaped(params.shape());
    float[] restJoints = regressJoints(shaped);

    double[][] rot = new double[Joint.COUNT][];
    for (int k = 0; k < Joint.COUNT; k++) {
      rot[k] = Rotations.fromAxisAngle(pose[k * 3], pose[k * 3 + 1], pose[k * 3 + 2]);
    }
    float[] posedRest = shaped;
    if (poseDirs != null) {
      double[] feature = new double[POSE_FEATURES];
      for (int k = 1; k < Joint.COUNT; k++) {
        for (int e = 0; e < 9; e++) {
          feature[(k - 1) * 9 + e] = rot[k][e] - ((e % 4 == 0) ? 1 : 0);
        }
      }
      posedRest = shaped.clone();
      for (int i = 0; i < vertexCount * 3; i++) {
        double d = 0;
        int base = i * POSE_FEATURES;
        for (int p = 0; p < POSE_FEATURES; p++) {
          d += poseDirs[base + p] * feature[p];
        }
        posedRest[i] += (float) d;
      }
    }

    // world transforms G_k = G_parent * [R_k | J_k - J_parent], as 3x4 row-major
    double[][] g = new double[Joint.COUNT][12];
    float[] joints = new float[Joint.COUNT * 3];
    for (int k = 0; k < Joint.COUNT; k++) {
      double[] r = rot[k];
      double tx = restJoints[k * 3];
      double ty = restJoints[k * 3 + 1];
      double tz = restJoints[k * 3 + 2];
      int p = parents[k];
      if (p >= 0) {
        tx -= restJoints[p * 3];
        ty -= restJoints[p * 3 + 1];
        tz -= restJoints[p * 3 + 2];
        double[] gp = g[p];
        for (int i = 0; i < 3; i++) {
          for (int j = 0; j < 3; j++) {
            g[k][i * 4 + j] =
                gp[i * 4] * r[j] + gp[i * 4 + 1] * r[3 + j] + gp[i * 4 + 2] * r[6 + j];
          }
          g[k][i * 4 + 3] =
              gp[i * 4] * tx + gp[i * 4 + 1] * ty + gp[i * 4 + 2] * tz + gp[i * 4 + 3];
        }
      } else {
        for (int i = 0; i < 3; i++) {
          for (int j = 0; j < 3; j++) {
            g[k][i * 4 + j] = r[i * 3 + j];
          }
        }
        g[k][3] = tx;
        g[k][7] = ty;
        g[k][11] = tz;
      }
      joints[k * 3] = (float) (g[k][3] + trans[0]);
      joints[k * 3 + 1] = (float) (g[k][7] + trans[1]);
      joints[k * 3 + 2] = (float) (g[k][11] + trans[2]);
    }
    // remove the rest pose: A_k = G_k * [I | -J_k]
    for (int k = 0; k < Joint.COUNT; k++) {
      double jx = restJoints[k * 3];
      double jy = restJoints[k * 3 + 1];
      double jz = restJoints[k * 3 + 2];
      for (int i = 0; i < 3; i++) {
        g[k][i * 4 + 3] -= g[k][i * 4] * jx + g[k][i * 4 + 1] * jy + g[k][i * 4 + 2] * jz;
      }
    }
    float[] out = new float[vertexCount * 3];
    double[] a = new double[12];
    for (int v = 0; v < vertexCount; v++) {
      java.util.Arrays.fill(a, 0);
      int[] js = skinJoints[v];
      float[] ws = skinWeights[v];
      for (int i = 0; i < js.length; i++) {
        double[] gk = g[js[i]];
        double w = ws[i];
        for (int e = 0; e < 12; e++) {
          a[e] += w * gk[e];
        }
      }
      double x = posedRest[v * 3];
      double y = posedRest[v * 3 + 1];
      double z = posedRest[v * 3 + 2];
      out[v * 3] = (float) (a[0] * x + a[1] * y + a[2] * z + a[3] + trans[0]);
      out[v * 3 + 1] = (float) (a[4] * x + a[5] * y + a[6] * z + a[7] + trans[1]);
      out[v * 3 + 2] = (float) (a[8] * x + a[9] * y + a[10] * z + a[11] + trans[2]);
    }
    return new PosedBody(out, joints);
  }
}
