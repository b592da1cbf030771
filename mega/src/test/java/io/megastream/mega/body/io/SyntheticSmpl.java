package io.megastream.mega.body.io;

import io.megastream.mega.body.Joint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A tiny SMPL-like model made for tests: one tetrahedron of 4 vertices around each of SMPL's 24
 * rest joints (skinned fully to that joint; the joint regressor averages them, so it regresses the
 * joint exactly), plus one vertex blended 0.3 / 0.7 between the left hip and the left knee. Pose
 * blend shapes are zero except three entries driven by the left elbow's rotation.
 */
final class SyntheticSmpl {

  static final int VERTICES_PER_JOINT = 4;

  /** Skinned 0.3 to the left hip, 0.7 to the left knee. */
  static final int BLEND_VERTEX = Joint.COUNT * VERTICES_PER_JOINT;

  static final int V = BLEND_VERTEX + 1;

  static final int SHAPES = 6;

  static final int P = 207;

  static final double BLEND_HIP_WEIGHT = 0.3;

  /** A head vertex, moved by posedirs when the left elbow turns (posedirs are global). */
  static final int HEAD_VERTEX = vertex(Joint.HEAD, 0);

  /** A left wrist vertex, moved by posedirs before it is skinned. */
  static final int WRIST_VERTEX = vertex(Joint.LEFT_WRIST, 0);

  /** posedirs[HEAD_VERTEX, x, (R_elbow - I)[0][0]]. */
  static final double HEAD_X_PER_ELBOW_R00 = 0.2;

  /** posedirs[HEAD_VERTEX, y, (R_elbow - I)[0][1]]. */
  static final double HEAD_Y_PER_ELBOW_R01 = 0.3;

  /** posedirs[WRIST_VERTEX, x, (R_elbow - I)[0][0]]. */
  static final double WRIST_X_PER_ELBOW_R00 = 0.1;

  /** Rest joints, metres: a T-pose, y up, facing +z, the body's left at +x. */
  static final double[] REST_JOINTS = {
    0,
    0.9,
    0, // pelvis
    0.08,
    0.82,
    0, // left hip
    -0.08,
    0.82,
    0, // right hip
    0,
    1.0,
    0, // spine1
    0.09,
    0.45,
    0, // left knee
    -0.09,
    0.45,
    0, // right knee
    0,
    1.12,
    0, // spine2
    0.09,
    0.08,
    0, // left ankle
    -0.09,
    0.08,
    0, // right ankle
    0,
    1.2,
    0, // spine3
    0.09,
    0.02,
    0.12, // left foot
    -0.09,
    0.02,
    0.12, // right foot
    0,
    1.45,
    0, // neck
    0.07,
    1.38,
    0, // left collar
    -0.07,
    1.38,
    0, // right collar
    0,
    1.55,
    0.02, // head
    0.18,
    1.4,
    0, // left shoulder
    -0.18,
    1.4,
    0, // right shoulder
    0.45,
    1.4,
    0, // left elbow
    -0.45,
    1.4,
    0, // right elbow
    0.7,
    1.4,
    0, // left wrist
    -0.7,
    1.4,
    0, // right wrist
    0.78,
    1.4,
    0, // left hand
    -0.78,
    1.4,
    0 // right hand
  };

  private static final double[][] CORNERS = {{1, 1, 1}, {1, -1, -1}, {-1, 1, -1}, {-1, -1, 1}};
  private static final double SIZE = 0.02;

  /** How a fixture file is written. */
  enum Flavour {
    /** float64 everywhere, deflated, posedirs (V, 3, 207), root parent 4294967295 (uint32). */
    FLOAT64_DEFLATED,
    /** float32 everywhere, stored, posedirs (V*3, 207), root parent -1 (int64). */
    FLOAT32_STORED,
    /**
     * Fortran-ordered shapedirs, J_regressor, weights and f; big-endian arrays; format versions 2
     * and 3; stored and deflated entries mixed; posedirs (207, V*3); kintree int32 with -1.
     */
    MIXED_LAYOUTS
  }

  /** One archive entry: an array and how to store it. */
  record Entry(NpyArray array, Npz.Compression compression, Npy.WriteOptions options) {
    static Entry deflated(NpyArray array) {
      return new Entry(array, Npz.Compression.DEFLATED, Npy.WriteOptions.DEFAULT);
    }
  }

  final double[] template = new double[V * 3];
  final double[] shapeDirs = new double[V * 3 * SHAPES];
  final double[] poseDirs = new double[V * 3 * P];
  final double[] regressor = new double[Joint.COUNT * V];
  final double[] weights = new double[V * Joint.COUNT];
  final int[] faces = new int[Joint.COUNT * 4 * 3];

  SyntheticSmpl() {
    for (int j = 0; j < Joint.COUNT; j++) {
      for (int c = 0; c < VERTICES_PER_JOINT; c++) {
        int v = j * VERTICES_PER_JOINT + c;
        for (int a = 0; a < 3; a++) {
          template[v * 3 + a] = REST_JOINTS[j * 3 + a] + SIZE * CORNERS[c][a];
        }
        regressor[j * V + v] = 1.0 / VERTICES_PER_JOINT;
        weights[v * Joint.COUNT + j] = 1;
      }
      int[] tri = {0, 1, 2, 0, 3, 1, 0, 2, 3, 1, 3, 2};
      for (int i = 0; i < tri.length; i++) {
        faces[j * tri.length + i] = j * VERTICES_PER_JOINT + tri[i];
      }
    }
    template[BLEND_VERTEX * 3] = 0.085;
    template[BLEND_VERTEX * 3 + 1] = 0.635;
    template[BLEND_VERTEX * 3 + 2] = 0.03;
    weights[BLEND_VERTEX * Joint.COUNT + Joint.LEFT_HIP.ordinal()] = BLEND_HIP_WEIGHT;
    weights[BLEND_VERTEX * Joint.COUNT + Joint.LEFT_KNEE.ordinal()] = 1 - BLEND_HIP_WEIGHT;
    Random random = new Random(42);
    for (int i = 0; i < shapeDirs.length; i++) {
      shapeDirs[i] = (random.nextDouble() - 0.5) * 0.02;
    }
    poseDirs[poseDirIndex(HEAD_VERTEX, 0, poseFeature(Joint.LEFT_ELBOW, 0, 0))] =
        HEAD_X_PER_ELBOW_R00;
    poseDirs[poseDirIndex(HEAD_VERTEX, 1, poseFeature(Joint.LEFT_ELBOW, 0, 1))] =
        HEAD_Y_PER_ELBOW_R01;
    poseDirs[poseDirIndex(WRIST_VERTEX, 0, poseFeature(Joint.LEFT_ELBOW, 0, 0))] =
        WRIST_X_PER_ELBOW_R00;
  }

  static int vertex(Joint joint, int corner) {
    return joint.ordinal() * VERTICES_PER_JOINT + corner;
  }

  /** SMPL's pose-feature index of (R_joint - I)[row][col]. */
  static int poseFeature(Joint joint, int row, int col) {
    return (joint.ordinal() - 1) * 9 + row * 3 + col;
  }

  static int poseDirIndex(int vertex, int axis, int feature) {
    return (vertex * 3 + axis) * P + feature;
  }

  /** The template vertex v as (x, y, z). */
  double[] templateVertex(int v) {
    return new double[] {template[v * 3], template[v * 3 + 1], template[v * 3 + 2]};
  }

  static double[] restJoint(Joint j) {
    int k = j.ordinal() * 3;
    return new double[] {REST_JOINTS[k], REST_JOINTS[k + 1], REST_JOINTS[k + 2]};
  }

  /** The joints a vertex follows rigidly: its own joint's subtree (for the one-hot vertices). */
  static boolean inSubtree(Joint joint, Joint root) {
    for (Joint j = joint; j != null; j = j.parent()) {
      if (j == root) {
        return true;
      }
    }
    return false;
  }

  /** The archive entries for a flavour, in file order; callers may replace or drop entries. */
  Map<String, Entry> entries(Flavour flavour) {
    Map<String, Entry> m = new LinkedHashMap<>();
    Npy.WriteOptions c = Npy.WriteOptions.DEFAULT;
    Npy.WriteOptions fortran = c.withFortranOrder(true);
    Npz.Compression stored = Npz.Compression.STORED;
    Npz.Compression deflated = Npz.Compression.DEFLATED;
    switch (flavour) {
      case FLOAT64_DEFLATED -> {
        m.put("v_template", Entry.deflated(NpyArray.ofDoubles(template, V, 3)));
        m.put("shapedirs", Entry.deflated(NpyArray.ofDoubles(shapeDirs, V, 3, SHAPES)));
        m.put("posedirs", Entry.deflated(NpyArray.ofDoubles(poseDirs, V, 3, P)));
        m.put("J_regressor", Entry.deflated(NpyArray.ofDoubles(regressor, Joint.COUNT, V)));
        m.put("weights", Entry.deflated(NpyArray.ofDoubles(weights, V, Joint.COUNT)));
        m.put("kintree_table", Entry.deflated(kintree(0xFFFF_FFFFL, NpyDtype.UINT32)));
        m.put("f", Entry.deflated(NpyArray.ofUint32(toLongs(faces), faces.length / 3, 3)));
      }
      case FLOAT32_STORED -> {
        m.put("v_template", new Entry(floats(template, V, 3), stored, c));
        m.put("shapedirs", new Entry(floats(shapeDirs, V, 3, SHAPES), stored, c));
        m.put("posedirs", new Entry(floats(poseDirs, V * 3, P), stored, c));
        m.put("J_regressor", new Entry(floats(regressor, Joint.COUNT, V), stored, c));
        m.put("weights", new Entry(floats(weights, V, Joint.COUNT), stored, c));
        m.put("kintree_table", new Entry(kintree(-1, NpyDtype.INT64), stored, c));
        m.put("f", new Entry(NpyArray.ofInts(faces, faces.length / 3, 3), stored, c));
      }
      case MIXED_LAYOUTS -> {
        m.put(
            "v_template",
            new Entry(
                NpyArray.ofDoubles(template, V, 3),
                deflated,
                c.withByteOrder(ByteOrder.BIG_ENDIAN).withVersion(2)));
        m.put("shapedirs", new Entry(floats(shapeDirs, V, 3, SHAPES), stored, fortran));
        m.put(
            "posedirs",
            new Entry(floats(transpose(poseDirs, V * 3, P), P, V * 3), deflated, c.withVersion(3)));
        m.put(
            "J_regressor",
            new Entry(NpyArray.ofDoubles(regressor, Joint.COUNT, V), stored, fortran));
        m.put(
            "weights",
            new Entry(
                NpyArray.ofDoubles(weights, V, Joint.COUNT),
                deflated,
                fortran.withByteOrder(ByteOrder.BIG_ENDIAN)));
        m.put("kintree_table", new Entry(kintree(-1, NpyDtype.INT32), stored, c));
        m.put(
            "f",
            new Entry(NpyArray.ofLongs(toLongs(faces), faces.length / 3, 3), deflated, fortran));
      }
    }
    return m;
  }

  /** Writes entries to an archive. */
  static Path save(Path file, Map<String, Entry> entries) throws IOException {
    try (Npz.Writer w = Npz.writer(file)) {
      for (Map.Entry<String, Entry> e : entries.entrySet()) {
        w.add(e.getKey(), e.getValue().array(), e.getValue().compression(), e.getValue().options());
      }
    }
    return file;
  }

  /** Writes entries plus one raw {@code .npy} entry. */
  static Path save(Path file, Map<String, Entry> entries, String rawName, byte[] rawNpy)
      throws IOException {
    try (Npz.Writer w = Npz.writer(file)) {
      for (Map.Entry<String, Entry> e : entries.entrySet()) {
        w.add(e.getKey(), e.getValue().array(), e.getValue().compression(), e.getValue().options());
      }
      w.addNpy(rawName, rawNpy, Npz.Compression.DEFLATED);
    }
    return file;
  }

  /** SMPL's kintree_table with the given root-parent marker, as the given integer type. */
  static NpyArray kintree(long rootMarker, NpyDtype dtype) {
    int[] parents = Joint.parents();
    long[] t = new long[2 * parents.length];
    for (int k = 0; k < parents.length; k++) {
      t[k] = parents[k] < 0 ? rootMarker : parents[k];
      t[parents.length + k] = k;
    }
    return integers(t, dtype, 2, parents.length);
  }

  /**
   * A model-shaped set of arrays for any joint count (all vertices skinned to joint 0), for
   * validation tests: SMPL-X-sized trees, odd vertex counts.
   */
  static Map<String, Entry> minimal(int vertices, int joints) {
    double[] vt = new double[vertices * 3];
    for (int i = 0; i < vt.length; i++) {
      vt[i] = i * 0.01;
    }
    double[] jr = new double[joints * vertices];
    double[] w = new double[vertices * joints];
    for (int v = 0; v < vertices; v++) {
      w[v * joints] = 1;
    }
    for (int j = 0; j < joints; j++) {
      jr[j * vertices + j % vertices] = 1;
    }
    long[] tree = new long[2 * joints];
    for (int k = 0; k < joints; k++) {
      // SMPL's parents for the first 24; later joints hang off the wrists as hands would
      tree[k] = k == 0 ? -1 : k < Joint.COUNT ? Joint.parents()[k] : 20 + (k % 2);
      tree[joints + k] = k;
    }
    Map<String, Entry> m = new LinkedHashMap<>();
    m.put("v_template", Entry.deflated(NpyArray.ofDoubles(vt, vertices, 3)));
    m.put(
        "shapedirs",
        Entry.deflated(NpyArray.ofDoubles(new double[vertices * 3 * 2], vertices, 3, 2)));
    m.put(
        "posedirs",
        Entry.deflated(NpyArray.ofDoubles(new double[vertices * 3 * P], vertices, 3, P)));
    m.put("J_regressor", Entry.deflated(NpyArray.ofDoubles(jr, joints, vertices)));
    m.put("weights", Entry.deflated(NpyArray.ofDoubles(w, vertices, joints)));
    m.put("kintree_table", Entry.deflated(NpyArray.ofLongs(tree, 2, joints)));
    m.put("f", Entry.deflated(NpyArray.ofInts(new int[] {0, 1, 2}, 1, 3)));
    return m;
  }

  /**
   * The bytes of a {@code .npy} holding a pickled Python object, as {@code np.save(...,
   * allow_pickle=True)} writes for dtype object: here a pickle of {@code None}.
   */
  static byte[] pickledObjectNpy(String shape) {
    String dict = "{'descr': '|O', 'fortran_order': False, 'shape': " + shape + ", }";
    StringBuilder header = new StringBuilder(dict);
    while ((10 + header.length() + 1) % 64 != 0) {
      header.append(' ');
    }
    header.append('\n');
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.write(header.length() & 0xFF);
    out.write(header.length() >> 8);
    out.writeBytes(header.toString().getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(new byte[] {(byte) 0x80, 0x04, 'N', '.'}); // pickle protocol 4: None
    return out.toByteArray();
  }

  private static NpyArray floats(double[] values, int... shape) {
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return NpyArray.ofFloats(f, shape);
  }

  private static NpyArray integers(long[] values, NpyDtype dtype, int... shape) {
    return switch (dtype) {
      case INT64 -> NpyArray.ofLongs(values, shape);
      case UINT32 -> NpyArray.ofUint32(values, shape);
      case INT32 -> {
        int[] i = new int[values.length];
        for (int k = 0; k < i.length; k++) {
          i[k] = Math.toIntExact(values[k]);
        }
        yield NpyArray.ofInts(i, shape);
      }
      default -> throw new IllegalArgumentException(dtype.toString());
    };
  }

  private static long[] toLongs(int[] values) {
    long[] l = new long[values.length];
    for (int i = 0; i < l.length; i++) {
      l[i] = values[i];
    }
    return l;
  }

  private static double[] transpose(double[] a, int rows, int cols) {
    double[] t = new double[a.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = a[r * cols + c];
      }
    }
    return t;
  }
}
