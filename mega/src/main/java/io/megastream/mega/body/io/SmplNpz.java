package io.megastream.mega.body.io;

import io.megastream.mega.body.Joint;
import io.megastream.mega.body.SkinnedBodyModel;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a SMPL-format body model from a NumPy {@code .npz} file into a {@link SkinnedBodyModel}.
 * Thread-safe (stateless).
 *
 * <p>Arrays read (any supported numeric dtype, either byte order, C or Fortran order):
 *
 * <ul>
 *   <li>{@code v_template} (V, 3);
 *   <li>{@code shapedirs} (V, 3, B), of which the first {@code maxShapeComponents} are kept;
 *   <li>{@code posedirs}, optional: (V, 3, 207) as SMPL ships it, or the same flattened to (V·3,
 *       207), or transposed to (207, V·3) as the {@code smplx} package holds it. When V = 69 the
 *       last two are both (207, 207) and cannot be told apart, so that shape is refused; absent
 *       posedirs give a model without pose blend shapes;
 *   <li>{@code J_regressor} (24, V), dense. SMPL's {@code .pkl} files hold it as a scipy sparse
 *       matrix, which arrives here as a pickled object array and is refused with a hint;
 *   <li>{@code weights} (V, 24), each row summing to 1 within {@value #WEIGHT_TOLERANCE};
 *   <li>{@code kintree_table} (2, 24): joint ids' parents in the first row (the root's parent
 *       written as -1 or 4294967295), joint ids in the second, as SMPL's loader reads it. The tree
 *       must be SMPL's own ({@link Joint#parents()}); SMPL-H (52 joints) and SMPL-X (55) are
 *       refused by name;
 *   <li>{@code f} (F, 3) vertex indices.
 * </ul>
 *
 * Other arrays in the file (SMPL's {@code J}, {@code weights_prior}, pickled training metadata) are
 * never read. Landmarks are not defined for SMPL's mesh here, so the model's are null.
 */
public final class SmplNpz {

  /** How far a vertex's skinning weights may sum from 1. */
  public static final double WEIGHT_TOLERANCE = 1e-3;

  private static final Logger log = LoggerFactory.getLogger(SmplNpz.class);

  private static final long UINT32_MINUS_ONE = 0xFFFF_FFFFL;

  private SmplNpz() {}

  /**
   * Loads a model with all its shape components; see {@link #load(Path, int)}.
   *
   * @throws BodyModelFormatException if the file is not a usable SMPL model
   * @throws IOException if the file cannot be read
   */
  public static SkinnedBodyModel load(Path file) throws IOException {
    return load(file, Integer.MAX_VALUE);
  }

  /**
   * Loads a model, keeping at most the first {@code maxShapeComponents} shape components (e.g. 10
   * of SMPL 1.1's 300). The model is named after the file, without {@code .npz}.
   *
   * @throws BodyModelFormatException if the file is not a usable SMPL model; the message names the
   *     file, the array and what is wrong
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if {@code maxShapeComponents} is negative
   */
  public static SkinnedBodyModel load(Path file, int maxShapeComponents) throws IOException {
    if (maxShapeComponents < 0) {
      throw new IllegalArgumentException("maxShapeComponents must be >= 0");
    }
    try (Npz npz = Npz.open(file)) {
      String f = npz.file();
      // the tree first: an SMPL-H or SMPL-X file then fails with that, not a size mismatch
      int[] parents = parents(npz);

      NpyArray template = npz.get("v_template");
      requireShape(
          f, "v_template", template, "(V, 3)", template.rank() == 2 && template.dim(1) == 3);
      int v = template.dim(0);
      if (v == 0) {
        throw new BodyModelFormatException(f, "v_template", "has no vertices");
      }

      NpyArray shapeDirs = npz.get("shapedirs");
      requireShape(
          f,
          "shapedirs",
          shapeDirs,
          "(" + v + ", 3, B)",
          shapeDirs.rank() == 3 && shapeDirs.dim(0) == v && shapeDirs.dim(1) == 3);
      int available = shapeDirs.dim(2);
      int kept = Math.min(available, maxShapeComponents);
      float[] shapes = firstColumns(shapeDirs.toFloats(), v * 3, available, kept);

      float[] poseDirs = null;
      if (npz.contains("posedirs")) {
        poseDirs = poseDirs(f, npz.get("posedirs"), v);
      } else {
        log.info("SMPL file {} has no posedirs: loading without pose blend shapes", f);
      }

      NpyArray regressor = npz.get("J_regressor");
      requireShape(
          f,
          "J_regressor",
          regressor,
          "(24, " + v + ")",
          regressor.rank() == 2 && regressor.dim(0) == Joint.COUNT && regressor.dim(1) == v);

      NpyArray weights = npz.get("weights");
      requireShape(
          f,
          "weights",
          weights,
          "(" + v + ", 24)",
          weights.rank() == 2 && weights.dim(0) == v && weights.dim(1) == Joint.COUNT);
      float[] w = weights.toFloats();
      requireNormalised(f, weights.toDoubles(), v);

      NpyArray faces = npz.get("f");
      requireShape(f, "f", faces, "(F, 3)", faces.rank() == 2 && faces.dim(1) == 3);
      int[] tri = integers(f, "f", faces);
      for (int i = 0; i < tri.length; i++) {
        if (tri[i] < 0 || tri[i] >= v) {
          throw new BodyModelFormatException(
              f, "f", "face " + i / 3 + " uses vertex " + tri[i] + ", outside 0.." + (v - 1));
        }
      }

      float[] vt = template.toFloats();
      float[] jr = regressor.toFloats();
      requireFinite(f, "v_template", vt);
      requireFinite(f, "shapedirs", shapes);
      requireFinite(f, "J_regressor", jr);
      requireFinite(f, "weights", w);
      if (poseDirs != null) {
        requireFinite(f, "posedirs", poseDirs);
      }
      String name = file.getFileName().toString().replaceFirst("(?i)\\.npz$", "");
      SkinnedBodyModel model;
      try {
        model = new SkinnedBodyModel(name, vt, shapes, poseDirs, jr, w, tri, parents, null);
      } catch (IllegalArgumentException e) {
        throw new BodyModelFormatException(f, null, e.getMessage(), e);
      }
      log.info(
          "Loaded SMPL model {} from {}: {} vertices, {} faces, {} of {} shape components, pose"
              + " blend shapes {}",
          name,
          f,
          v,
          tri.length / 3,
          kept,
          available,
          poseDirs == null ? "no" : "yes");
      return model;
    }
  }

  /** The parent indices from {@code kintree_table}, checked to be SMPL's tree. */
  private static int[] parents(Npz npz) throws IOException {
    String f = npz.file();
    NpyArray table = npz.get("kintree_table");
    if (table.rank() != 2 || table.dim(0) != 2) {
      throw new BodyModelFormatException(
          f,
          "kintree_table",
          "shape " + NpyArray.shapeString(table.shape()) + ", expected (2, 24)");
    }
    int n = table.dim(1);
    if (n != Joint.COUNT) {
      String family =
          n == 52
              ? "this looks like SMPL-H (52 joints: body and hands)"
              : n == 55 ? "this looks like SMPL-X (55 joints: body, jaw, eyes and hands)" : "";
      throw new BodyModelFormatException(
          f,
          "kintree_table",
          "has "
              + n
              + " joints"
              + (family.isEmpty() ? "" : "; " + family)
              + ". Only SMPL's 24-joint tree is supported");
    }
    long[] t = longs(f, "kintree_table", table);
    int[] parents = new int[n];
    for (int k = 0; k < n; k++) {
      long parentId = t[k];
      if (parentId == -1 || parentId == UINT32_MINUS_ONE) {
        parents[k] = -1;
        continue;
      }
      // SMPL maps ids (second row) to columns; for SMPL the two are the same
      parents[k] = -2;
      for (int c = 0; c < n; c++) {
        if (t[n + c] == parentId) {
          parents[k] = c;
          break;
        }
      }
      if (parents[k] == -2) {
        throw new BodyModelFormatException(
            f,
            "kintree_table",
            "joint " + k + " has parent id " + parentId + ", which is no joint's id");
      }
    }
    int[] smpl = Joint.parents();
    for (int k = 0; k < n; k++) {
      if (parents[k] != smpl[k]) {
        throw new BodyModelFormatException(
            f,
            "kintree_table",
            "is not SMPL's kinematic tree: joint "
                + k
                + " ("
                + Joint.of(k).smplName()
                + ") has parent "
                + parents[k]
                + ", SMPL's is "
                + smpl[k]
                + ". Only SMPL's 24-joint tree is supported");
      }
    }
    return parents;
  }

  /** posedirs as V x 3 x 207 from any of the accepted layouts. */
  private static float[] poseDirs(String f, NpyArray a, int v) throws BodyModelFormatException {
    int p = SkinnedBodyModel.POSE_FEATURES;
    int[] s = a.shape();
    String accepted =
        "expected ("
            + v
            + ", 3, 207), ("
            + v * 3
            + ", 207) or (207, "
            + v * 3
            + ") for "
            + v
            + " vertices";
    if (s.length == 3 && s[0] == v && s[1] == 3 && s[2] == p) {
      return a.toFloats();
    }
    if (s.length == 2 && v * 3 == p && s[0] == p && s[1] == p) {
      throw new BodyModelFormatException(
          f,
          "posedirs",
          "shape (207, 207) is ambiguous with 69 vertices: it could be (V*3, 207) or its"
              + " transpose. Save it as (69, 3, 207)");
    }
    if (s.length == 2 && s[0] == v * 3 && s[1] == p) {
      // SMPL's (V, 3, 207) flattened: the same values in the same order
      return a.toFloats();
    }
    if (s.length == 2 && s[0] == p && s[1] == v * 3) {
      float[] in = a.toFloats();
      float[] out = new float[in.length];
      int n = v * 3;
      for (int r = 0; r < p; r++) {
        for (int c = 0; c < n; c++) {
          out[c * p + r] = in[r * n + c];
        }
      }
      return out;
    }
    throw new BodyModelFormatException(
        f, "posedirs", "shape " + NpyArray.shapeString(s) + ", " + accepted);
  }

  private static void requireShape(String f, String name, NpyArray a, String expected, boolean ok)
      throws BodyModelFormatException {
    if (!ok) {
      throw new BodyModelFormatException(
          f, name, "shape " + NpyArray.shapeString(a.shape()) + ", expected " + expected);
    }
  }

  private static void requireNormalised(String f, double[] w, int v)
      throws BodyModelFormatException {
    for (int i = 0; i < v; i++) {
      double sum = 0;
      for (int j = 0; j < Joint.COUNT; j++) {
        sum += w[i * Joint.COUNT + j];
      }
      if (!(Math.abs(sum - 1) <= WEIGHT_TOLERANCE)) {
        throw new BodyModelFormatException(
            f,
            "weights",
            "skinning weights of vertex "
                + i
                + " sum to "
                + sum
                + ", not 1 (within "
                + WEIGHT_TOLERANCE
                + ")");
      }
    }
  }

  private static void requireFinite(String f, String name, float[] values)
      throws BodyModelFormatException {
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new BodyModelFormatException(
            f, name, "value " + values[i] + " at flat index " + i + " is not finite");
      }
    }
  }

  private static int[] integers(String f, String name, NpyArray a) throws BodyModelFormatException {
    try {
      return a.toInts();
    } catch (ArithmeticException e) {
      throw new BodyModelFormatException(f, name, "needs integers: " + e.getMessage(), e);
    }
  }

  private static long[] longs(String f, String name, NpyArray a) throws BodyModelFormatException {
    try {
      return a.toLongs();
    } catch (ArithmeticException e) {
      throw new BodyModelFormatException(f, name, "needs integers: " + e.getMessage(), e);
    }
  }

  /** The first {@code kept} of {@code columns} values in each of {@code rows} rows. */
  private static float[] firstColumns(float[] a, int rows, int columns, int kept) {
    if (kept == columns) {
      return a;
    }
    float[] out = new float[rows * kept];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(a, r * columns, out, r * kept, kept);
    }
    return out;
  }
}
