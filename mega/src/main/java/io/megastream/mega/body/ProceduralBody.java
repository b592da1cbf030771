package io.megastream.mega.body;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * MegaStream's own, openly usable body model, generated from SMPL's 24-joint skeleton: a smooth
 * signed-distance body (round cones along the bones, ellipsoids for torso, head, hands and feet)
 * meshed by surface nets into one closed surface; skinning weights from distances to the bones; 12
 * linear shape blend shapes from bone lengths and girths; a joint regressor that reproduces the
 * skeleton exactly on the template; and the 33 BlazePose landmarks as vertex combinations.
 *
 * <p>Frame: metres, y up, the body faces +z, its left is +x, rest pose a T-pose with the pelvis
 * joint at the origin. Deterministic: the same version always builds the same model. Build once per
 * process with {@link #build()}; the result is immutable and thread-safe.
 */
public final class ProceduralBody {

  /** Model name recorded with results; bump the suffix when the geometry changes. */
  public static final String NAME = "megastream-body-v1";

  /** Shape coefficients, each about one standard deviation of adult variation per unit. */
  public static final List<String> SHAPE_NAMES =
      List.of(
          "stature",
          "girth",
          "leg_length",
          "arm_length",
          "shoulder_width",
          "hip_width",
          "torso_length",
          "chest_depth",
          "belly",
          "head_size",
          "limb_muscle",
          "neck_length");

  /** Grid spacing of the surface extraction, metres: ~5,000 vertices. */
  static final double CELL = 0.02;

  /** Rest joint positions, SMPL order (metres). */
  static final double[][] JOINTS = {
    {0, 0, 0}, // pelvis
    {0.095, -0.085, 0.0}, // left_hip
    {-0.095, -0.085, 0.0}, // right_hip
    {0, 0.105, -0.015}, // spine1
    {0.105, -0.49, 0.005}, // left_knee
    {-0.105, -0.49, 0.005}, // right_knee
    {0, 0.235, -0.005}, // spine2
    {0.11, -0.885, -0.035}, // left_ankle
    {-0.11, -0.885, -0.035}, // right_ankle
    {0, 0.295, 0.005}, // spine3
    {0.12, -0.945, 0.095}, // left_foot
    {-0.12, -0.945, 0.095}, // right_foot
    {0, 0.515, -0.02}, // neck
    {0.075, 0.435, -0.015}, // left_collar
    {-0.075, 0.435, -0.015}, // right_collar
    {0, 0.60, 0.02}, // head
    {0.185, 0.455, -0.025}, // left_shoulder
    {-0.185, 0.455, -0.025}, // right_shoulder
    {0.445, 0.455, -0.03}, // left_elbow
    {-0.445, 0.455, -0.03}, // right_elbow
    {0.695, 0.455, -0.025}, // left_wrist
    {-0.695, 0.455, -0.025}, // right_wrist
    {0.775, 0.455, -0.025}, // left_hand
    {-0.775, 0.455, -0.025}, // right_hand
  };

  /** One piece of the body's implicit surface, moved by one joint's rotation. */
  private record Part(
      int joint, double[] a, double[] b, double ra, double rb, double[] radii, double blend) {

    static Part cone(int joint, double[] a, double[] b, double ra, double rb, double blend) {
      return new Part(joint, a, b, ra, rb, null, blend);
    }

    static Part ellipsoid(int joint, double[] centre, double[] radii, double blend) {
      return new Part(joint, centre, centre, 0, 0, radii, blend);
    }

    double distance(double[] p) {
      if (radii != null) {
        double x = (p[0] - a[0]) / radii[0];
        double y = (p[1] - a[1]) / radii[1];
        double z = (p[2] - a[2]) / radii[2];
        double k0 = Math.sqrt(x * x + y * y + z * z);
        double x2 = x / radii[0];
        double y2 = y / radii[1];
        double z2 = z / radii[2];
        double k1 = Math.sqrt(x2 * x2 + y2 * y2 + z2 * z2);
        return k1 < 1e-12 ? -Math.min(radii[0], Math.min(radii[1], radii[2])) : k0 * (k0 - 1) / k1;
      }
      double t = segmentT(p, a, b);
      double cx = a[0] + t * (b[0] - a[0]) - p[0];
      double cy = a[1] + t * (b[1] - a[1]) - p[1];
      double cz = a[2] + t * (b[2] - a[2]) - p[2];
      return Math.sqrt(cx * cx + cy * cy + cz * cz) - (ra + t * (rb - ra));
    }
  }

  /** A bone segment of a joint, for skinning and shape: the segment the joint's rotation moves. */
  private record Bone(int joint, int from, double[] to) {}

  private final List<Part> parts = new ArrayList<>();
  private final List<Bone> bones = new ArrayList<>();

  private ProceduralBody() {
    defineParts();
    defineBones();
  }

  /** Generates the model (about a second on one core). */
  public static SkinnedBodyModel build() {
    return new ProceduralBody().generate();
  }

  private SkinnedBodyModel generate() {
    SurfaceNets.Mesh mesh =
        SurfaceNets.extract(
            this::sdf, new double[] {-0.9, -1.05, -0.22}, new double[] {0.9, 0.9, 0.30}, CELL);
    float[] v = mesh.vertices();
    int n = v.length / 3;
    int[] owner = new int[n];
    for (int i = 0; i < n; i++) {
      double[] p = {v[i * 3], v[i * 3 + 1], v[i * 3 + 2]};
      owner[i] = nearestBone(p, ownerJointOfSurface(p));
    }
    int[][] neighbours = neighbours(n, mesh.faces());
    float[] weights = smoothWeights(skinningWeights(v, owner), neighbours, 6);
    float[] regressor = jointRegressor(v);
    float[] shapeDirs = smooth(shapeDirections(v, weights), neighbours, 12);
    int[] parents = Joint.parents();
    Landmarks landmarks = landmarks(v, regressor);
    return new SkinnedBodyModel(
        NAME, v, shapeDirs, null, regressor, weights, mesh.faces(), parents, landmarks);
  }

  // --- geometry --------------------------------------------------------------------------

  private void defineParts() {
    // torso: pelvis, abdomen, chest, buttocks
    parts.add(Part.ellipsoid(0, p(0, -0.04, -0.005), p(0.165, 0.115, 0.105), 0.04));
    parts.add(Part.ellipsoid(0, p(0.065, -0.075, -0.055), p(0.085, 0.085, 0.07), 0.03));
    parts.add(Part.ellipsoid(0, p(-0.065, -0.075, -0.055), p(0.085, 0.085, 0.07), 0.03));
    parts.add(Part.ellipsoid(3, p(0, 0.11, 0.0), p(0.145, 0.12, 0.095), 0.05));
    parts.add(Part.ellipsoid(6, p(0, 0.24, 0.0), p(0.16, 0.12, 0.105), 0.05));
    parts.add(Part.ellipsoid(9, p(0, 0.34, -0.005), p(0.175, 0.13, 0.11), 0.05));
    parts.add(Part.cone(13, JOINTS[13], JOINTS[16], 0.06, 0.055, 0.04));
    parts.add(Part.cone(14, JOINTS[14], JOINTS[17], 0.06, 0.055, 0.04));
    // neck and head, with a nose and ears
    parts.add(Part.cone(12, p(0, 0.44, -0.02), p(0, 0.62, 0.0), 0.058, 0.052, 0.03));
    parts.add(Part.ellipsoid(15, p(0, 0.705, 0.025), p(0.082, 0.112, 0.098), 0.025));
    parts.add(Part.ellipsoid(15, p(0, 0.66, 0.07), p(0.06, 0.05, 0.06), 0.03)); // jaw
    parts.add(Part.cone(15, p(0, 0.715, 0.11), p(0, 0.685, 0.132), 0.012, 0.014, 0.012));
    parts.add(Part.ellipsoid(15, p(0.083, 0.705, 0.02), p(0.012, 0.03, 0.02), 0.01));
    parts.add(Part.ellipsoid(15, p(-0.083, 0.705, 0.02), p(0.012, 0.03, 0.02), 0.01));
    for (int side = 1; side >= -1; side -= 2) {
      int sh = side > 0 ? 16 : 17;
      int el = side > 0 ? 18 : 19;
      int wr = side > 0 ? 20 : 21;
      int hip = side > 0 ? 1 : 2;
      int kn = side > 0 ? 4 : 5;
      int an = side > 0 ? 7 : 8;
      // arms
      parts.add(Part.cone(sh, JOINTS[sh], JOINTS[el], 0.052, 0.04, 0.02));
      parts.add(Part.cone(el, JOINTS[el], JOINTS[wr], 0.04, 0.029, 0.015));
      // hand: flat mitten, palm down, fingers along the arm, thumb forward
      parts.add(Part.ellipsoid(wr, p(side * 0.765, 0.452, -0.028), p(0.062, 0.02, 0.045), 0.012));
      parts.add(
          Part.cone(
              wr, p(side * 0.715, 0.45, 0.005), p(side * 0.75, 0.448, 0.05), 0.017, 0.015, 0.01));
      // legs
      parts.add(Part.cone(hip, JOINTS[hip], JOINTS[kn], 0.078, 0.052, 0.015));
      parts.add(Part.cone(kn, JOINTS[kn], JOINTS[an], 0.05, 0.034, 0.015));
      // foot: heel to toes
      parts.add(
          Part.cone(
              an, p(side * 0.11, -0.955, -0.065), p(side * 0.12, -0.96, 0.1), 0.035, 0.038, 0.02));
      parts.add(
          Part.cone(
              an + 3,
              p(side * 0.12, -0.962, 0.1),
              p(side * 0.125, -0.968, 0.165),
              0.034,
              0.026,
              0.015));
    }
  }

  private double sdf(double[] q) {
    double d = Double.MAX_VALUE;
    for (Part part : parts) {
      double e = part.distance(q);
      d = d == Double.MAX_VALUE ? e : smoothMin(d, e, part.blend());
    }
    return d;
  }

  private int ownerJointOfSurface(double[] q) {
    double best = Double.MAX_VALUE;
    int joint = 0;
    for (Part part : parts) {
      double e = part.distance(q);
      if (e < best) {
        best = e;
        joint = part.joint();
      }
    }
    return joint;
  }

  private static double smoothMin(double a, double b, double k) {
    double h = Math.max(k - Math.abs(a - b), 0) / k;
    return Math.min(a, b) - h * h * k / 4;
  }

  // --- skinning ----------------------------------------------------------------------------

  private void defineBones() {
    for (Joint j : Joint.values()) {
      int k = j.ordinal();
      List<double[]> ends = new ArrayList<>();
      for (Joint c : Joint.values()) {
        if (c.parentIndex() == k) {
          ends.add(JOINTS[c.ordinal()]);
        }
      }
      if (ends.isEmpty()) { // leaves: extend along the parent bone's direction
        double[] a = JOINTS[j.parentIndex()];
        double[] b = JOINTS[k];
        double len = j == Joint.HEAD ? 0.2 : (j.name().endsWith("FOOT") ? 0.07 : 0.08);
        double[] dir = norm(sub(b, a));
        if (j == Joint.HEAD) {
          dir = new double[] {0, 1, 0};
        }
        ends.add(add(b, scale(dir, len)));
      }
      if (j == Joint.PELVIS) { // the pelvis bone is the pelvis itself, not the legs
        ends.clear();
        ends.add(p(0, -0.1, 0));
      }
      for (double[] e : ends) {
        bones.add(new Bone(k, k, e));
      }
    }
  }

  /** The bone nearest to p among the owning joint's bones and its parent's and children's. */
  private int nearestBone(double[] p, int ownerJoint) {
    double best = Double.MAX_VALUE;
    int index = -1;
    for (int b = 0; b < bones.size(); b++) {
      Bone bone = bones.get(b);
      if (!related(bone.joint(), ownerJoint)) {
        continue;
      }
      double d = segmentDistance(p, JOINTS[bone.from()], bone.to());
      if (d < best) {
        best = d;
        index = b;
      }
    }
    return index;
  }

  private static boolean related(int joint, int owner) {
    return joint == owner
        || Joint.of(owner).parentIndex() == joint
        || Joint.of(joint).parentIndex() == owner;
  }

  private float[] skinningWeights(float[] v, int[] owner) {
    int n = v.length / 3;
    float[] w = new float[n * Joint.COUNT];
    double sigma = 0.03;
    for (int i = 0; i < n; i++) {
      double[] p = {v[i * 3], v[i * 3 + 1], v[i * 3 + 2]};
      int ownerJoint = bones.get(owner[i]).joint();
      double[] dist = new double[Joint.COUNT];
      Arrays.fill(dist, Double.MAX_VALUE);
      for (Bone bone : bones) {
        if (!related(bone.joint(), ownerJoint)) {
          continue;
        }
        dist[bone.joint()] =
            Math.min(dist[bone.joint()], segmentDistance(p, JOINTS[bone.from()], bone.to()));
      }
      double min = Arrays.stream(dist).min().orElseThrow();
      double sum = 0;
      double[] raw = new double[Joint.COUNT];
      for (int j = 0; j < Joint.COUNT; j++) {
        if (dist[j] == Double.MAX_VALUE) {
          continue;
        }
        double x = (dist[j] - min) / sigma;
        raw[j] = Math.exp(-x * x);
        if (raw[j] < 0.01) {
          raw[j] = 0;
        }
        sum += raw[j];
      }
      for (int j = 0; j < Joint.COUNT; j++) {
        w[i * Joint.COUNT + j] = (float) (raw[j] / sum);
      }
    }
    return w;
  }

  /** Vertex adjacency from the faces. */
  static int[][] neighbours(int n, int[] faces) {
    List<java.util.Set<Integer>> sets = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sets.add(new java.util.TreeSet<>());
    }
    for (int f = 0; f < faces.length; f += 3) {
      for (int e = 0; e < 3; e++) {
        sets.get(faces[f + e]).add(faces[f + (e + 1) % 3]);
        sets.get(faces[f + (e + 1) % 3]).add(faces[f + e]);
      }
    }
    int[][] out = new int[n][];
    for (int i = 0; i < n; i++) {
      out[i] = sets.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    return out;
  }

  /**
   * Uniform Laplacian smoothing of a per-vertex field (n x k values): each step replaces a value by
   * the mean of itself and its neighbours.
   */
  static float[] smooth(float[] field, int[][] neighbours, int steps) {
    int n = neighbours.length;
    int k = field.length / n;
    float[] cur = field.clone();
    float[] next = new float[field.length];
    for (int s = 0; s < steps; s++) {
      for (int i = 0; i < n; i++) {
        int[] nb = neighbours[i];
        for (int c = 0; c < k; c++) {
          double sum = cur[i * k + c];
          for (int j : nb) {
            sum += cur[j * k + c];
          }
          next[i * k + c] = (float) (sum / (nb.length + 1));
        }
      }
      float[] t = cur;
      cur = next;
      next = t;
    }
    return cur;
  }

  /** Smooths skinning weights, drops weights under 1 % and renormalises each vertex. */
  static float[] smoothWeights(float[] weights, int[][] neighbours, int steps) {
    float[] w = smooth(weights, neighbours, steps);
    int n = neighbours.length;
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int j = 0; j < Joint.COUNT; j++) {
        if (w[i * Joint.COUNT + j] < 0.01f) {
          w[i * Joint.COUNT + j] = 0;
        }
        sum += w[i * Joint.COUNT + j];
      }
      for (int j = 0; j < Joint.COUNT; j++) {
        w[i * Joint.COUNT + j] /= (float) sum;
      }
    }
    return w;
  }

  // --- joint regressor -----------------------------------------------------------------------

  /**
   * For each joint, weights over the vertices near it (a band around the limb, or a slab of the
   * torso) that are as uniform as possible while reproducing the skeleton's joint exactly on the
   * template: minimum-norm correction of uniform weights under the 4 linear constraints.
   */
  private float[] jointRegressor(float[] v) {
    int n = v.length / 3;
    float[] reg = new float[Joint.COUNT * n];
    for (int j = 0; j < Joint.COUNT; j++) {
      double[] c = JOINTS[j];
      List<Integer> near = new ArrayList<>();
      for (double radius = 0.06; near.size() < 12; radius += 0.02) {
        near.clear();
        for (int i = 0; i < n; i++) {
          double dx = v[i * 3] - c[0];
          double dy = v[i * 3 + 1] - c[1];
          double dz = v[i * 3 + 2] - c[2];
          if (Math.sqrt(dx * dx + dy * dy + dz * dz) < radius) {
            near.add(i);
          }
        }
      }
      int m = near.size();
      // constraints A w = b with rows (x, y, z, 1); w = u + A^T (A A^T)^-1 (b - A u)
      double[][] a = new double[4][m];
      for (int k = 0; k < m; k++) {
        int i = near.get(k);
        a[0][k] = v[i * 3];
        a[1][k] = v[i * 3 + 1];
        a[2][k] = v[i * 3 + 2];
        a[3][k] = 1;
      }
      double[] u = new double[m];
      Arrays.fill(u, 1.0 / m);
      double[] r = {c[0], c[1], c[2], 1};
      for (int row = 0; row < 4; row++) {
        for (int k = 0; k < m; k++) {
          r[row] -= a[row][k] * u[k];
        }
      }
      double[][] aat = new double[4][4];
      for (int x = 0; x < 4; x++) {
        for (int y = 0; y < 4; y++) {
          for (int k = 0; k < m; k++) {
            aat[x][y] += a[x][k] * a[y][k];
          }
        }
      }
      double[] lambda = solve4(aat, r);
      for (int k = 0; k < m; k++) {
        double wk = u[k];
        for (int row = 0; row < 4; row++) {
          wk += a[row][k] * lambda[row];
        }
        reg[j * n + near.get(k)] = (float) wk;
      }
    }
    return reg;
  }

  private static double[] solve4(double[][] m, double[] b) {
    double[][] a = new double[4][5];
    for (int i = 0; i < 4; i++) {
      System.arraycopy(m[i], 0, a[i], 0, 4);
      a[i][4] = b[i];
    }
    for (int col = 0; col < 4; col++) {
      int pivot = col;
      for (int row = col + 1; row < 4; row++) {
        if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) {
          pivot = row;
        }
      }
      double[] tmp = a[col];
      a[col] = a[pivot];
      a[pivot] = tmp;
      for (int row = 0; row < 4; row++) {
        if (row != col) {
          double f = a[row][col] / a[col][col];
          for (int k = col; k < 5; k++) {
            a[row][k] -= f * a[col][k];
          }
        }
      }
    }
    return new double[] {
      a[0][4] / a[0][0], a[1][4] / a[1][1], a[2][4] / a[2][2], a[3][4] / a[3][3]
    };
  }

  // --- shape space ---------------------------------------------------------------------------

  /**
   * One shape direction: how far each joint moves and how each joint's bone scales across (per
   * axis) for one unit of the coefficient. Vertices follow their bone: v' = a' + t (b' - a') + (v -
   * a - t (b - a)) * (1 + s), which is linear in the coefficient, so the blend shape is exact.
   */
  private record ShapeDelta(double[][] jointMove, double[][] boneScale) {
    static ShapeDelta zero() {
      return new ShapeDelta(new double[Joint.COUNT][3], new double[Joint.COUNT][3]);
    }
  }

  /**
   * Shape blend shapes. Each vertex's displacement is the skinning-weighted blend of the
   * displacements it would get from each of its joints' bones, so the shape space is as smooth
   * across joints as the skinning is (no seams between body parts).
   */
  private float[] shapeDirections(float[] v, float[] weights) {
    List<ShapeDelta> deltas = shapeDeltas();
    int n = v.length / 3;
    int b = deltas.size();
    float[] dirs = new float[n * 3 * b];
    for (int i = 0; i < n; i++) {
      double[] p = {v[i * 3], v[i * 3 + 1], v[i * 3 + 2]};
      for (int j = 0; j < Joint.COUNT; j++) {
        double w = weights[i * Joint.COUNT + j];
        if (w == 0) {
          continue;
        }
        Bone bone = nearestBoneOfJoint(p, j);
        double[] a = JOINTS[bone.from()];
        double[] e = bone.to();
        double ti = segmentT(p, a, e);
        for (int s = 0; s < b; s++) {
          ShapeDelta d = deltas.get(s);
          double[] da = d.jointMove()[bone.from()];
          double[] de = endMove(d, bone);
          double[] scaleAcross = d.boneScale()[bone.joint()];
          for (int c = 0; c < 3; c++) {
            double axisPoint = a[c] + ti * (e[c] - a[c]);
            double offset = p[c] - axisPoint;
            double move = da[c] + ti * (de[c] - da[c]) + offset * scaleAcross[c];
            dirs[(i * 3 + c) * b + s] += (float) (w * move);
          }
        }
      }
    }
    return dirs;
  }

  private Bone nearestBoneOfJoint(double[] p, int joint) {
    Bone best = null;
    double bestD = Double.MAX_VALUE;
    for (Bone bone : bones) {
      if (bone.joint() == joint) {
        double d = segmentDistance(p, JOINTS[bone.from()], bone.to());
        if (d < bestD) {
          bestD = d;
          best = bone;
        }
      }
    }
    return best;
  }

  /** How the end of a bone moves: with the child joint, or (leaves) with the bone's own joint. */
  private double[] endMove(ShapeDelta d, Bone bone) {
    for (Joint c : Joint.values()) {
      if (c.parentIndex() == bone.joint() && Arrays.equals(JOINTS[c.ordinal()], bone.to())) {
        return d.jointMove()[c.ordinal()];
      }
    }
    double[] own = d.jointMove()[bone.joint()];
    // leaf bones keep their length, scaled like the limb they end
    double[] s = d.boneScale()[bone.joint()];
    double[] len = sub(bone.to(), JOINTS[bone.from()]);
    return new double[] {own[0] + len[0] * s[0], own[1] + len[1] * s[1], own[2] + len[2] * s[2]};
  }

  private List<ShapeDelta> shapeDeltas() {
    List<ShapeDelta> out = new ArrayList<>();
    // 0 stature: everything 4 % larger about the pelvis
    ShapeDelta stature = ShapeDelta.zero();
    for (int j = 0; j < Joint.COUNT; j++) {
      stature.jointMove()[j] = scale(JOINTS[j], 0.04);
      Arrays.fill(stature.boneScale()[j], 0.04);
    }
    out.add(stature);
    // 1 girth: the torso widens and deepens, limbs a little
    ShapeDelta girth = ShapeDelta.zero();
    for (int j : new int[] {0, 3, 6, 9}) {
      girth.boneScale()[j] = p(0.10, 0.02, 0.14);
    }
    for (int j : new int[] {1, 2, 4, 5, 16, 17, 18, 19, 12}) {
      girth.boneScale()[j] = p(0.07, 0.07, 0.07);
    }
    out.add(girth);
    // 2 leg length: legs 5 % longer, the rest of the body stays (the feet go down)
    ShapeDelta legs = ShapeDelta.zero();
    for (int side : new int[] {0, 1}) {
      int hip = 1 + side;
      for (int j : new int[] {4 + side, 7 + side, 10 + side}) {
        legs.jointMove()[j] = scale(sub(JOINTS[j], JOINTS[hip]), 0.05);
      }
    }
    out.add(legs);
    // 3 arm length: arms 5 % longer from the shoulder
    ShapeDelta arms = ShapeDelta.zero();
    for (int side : new int[] {0, 1}) {
      int sh = 16 + side;
      for (int j : new int[] {18 + side, 20 + side, 22 + side}) {
        arms.jointMove()[j] = scale(sub(JOINTS[j], JOINTS[sh]), 0.05);
      }
    }
    out.add(arms);
    // 4 shoulder width: collars and arms 2 cm further out
    ShapeDelta shoulders = ShapeDelta.zero();
    for (int j : new int[] {13, 16, 18, 20, 22}) {
      shoulders.jointMove()[j] = p(0.02, 0, 0);
      shoulders.jointMove()[j + 1] = p(-0.02, 0, 0);
    }
    shoulders.boneScale()[9] = p(0.08, 0, 0);
    out.add(shoulders);
    // 5 hip width: hips and legs 1.5 cm further out, pelvis wider
    ShapeDelta hips = ShapeDelta.zero();
    for (int j : new int[] {1, 4, 7, 10}) {
      hips.jointMove()[j] = p(0.015, 0, 0);
      hips.jointMove()[j + 1] = p(-0.015, 0, 0);
    }
    hips.boneScale()[0] = p(0.09, 0, 0.03);
    out.add(hips);
    // 6 torso length: everything above spine1 3 cm higher, spread over the spine
    ShapeDelta torso = ShapeDelta.zero();
    for (int j = 0; j < Joint.COUNT; j++) {
      if (j == 6) {
        torso.jointMove()[j] = p(0, 0.012, 0);
      } else if (j == 9) {
        torso.jointMove()[j] = p(0, 0.02, 0);
      } else if (j >= 12) { // neck, collars, head and arms
        torso.jointMove()[j] = p(0, 0.03, 0);
      }
    }
    out.add(torso);
    // 7 chest depth
    ShapeDelta chest = ShapeDelta.zero();
    chest.boneScale()[6] = p(0.02, 0, 0.10);
    chest.boneScale()[9] = p(0.03, 0, 0.14);
    out.add(chest);
    // 8 belly
    ShapeDelta belly = ShapeDelta.zero();
    belly.boneScale()[3] = p(0.06, 0, 0.22);
    belly.boneScale()[0] = p(0.03, 0, 0.10);
    out.add(belly);
    // 9 head size
    ShapeDelta head = ShapeDelta.zero();
    head.boneScale()[15] = p(0.06, 0.06, 0.06);
    out.add(head);
    // 10 limb muscle: arms and legs thicker
    ShapeDelta muscle = ShapeDelta.zero();
    for (int j : new int[] {1, 2, 4, 5, 16, 17, 18, 19}) {
      muscle.boneScale()[j] = p(0.10, 0.10, 0.10);
    }
    out.add(muscle);
    // 11 neck length: head 1.5 cm higher
    ShapeDelta neck = ShapeDelta.zero();
    neck.jointMove()[15] = p(0, 0.015, 0);
    out.add(neck);
    return out;
  }

  // --- landmarks ----------------------------------------------------------------------------

  private Landmarks landmarks(float[] v, float[] regressor) {
    int n = v.length / 3;
    int[][] idx = new int[Landmarks.COUNT][];
    float[][] w = new float[Landmarks.COUNT][];
    double[][] surface = {
      {0, 0.70, 0.15}, // nose (tip)
      {0.018, 0.728, 0.13}, // left eye inner
      {0.034, 0.73, 0.125}, // left eye
      {0.05, 0.728, 0.11}, // left eye outer
      {-0.018, 0.728, 0.13},
      {-0.034, 0.73, 0.125},
      {-0.05, 0.728, 0.11},
      {0.1, 0.705, 0.02}, // left ear
      {-0.1, 0.705, 0.02},
      {0.024, 0.66, 0.14}, // mouth left
      {-0.024, 0.66, 0.14},
    };
    for (int l = 0; l < surface.length; l++) {
      nearest(v, n, surface[l], idx, w, l);
    }
    int[] jointLandmarks = {16, 17, 18, 19, 20, 21}; // shoulders, elbows, wrists
    for (int k = 0; k < jointLandmarks.length; k++) {
      fromRegressor(regressor, n, jointLandmarks[k], idx, w, 11 + k);
    }
    for (int side = 0; side < 2; side++) {
      double sx = side == 0 ? 1 : -1;
      nearest(v, n, p(sx * 0.80, 0.45, -0.065), idx, w, 17 + side); // pinky knuckle
      nearest(v, n, p(sx * 0.80, 0.45, 0.01), idx, w, 19 + side); // index knuckle
      nearest(v, n, p(sx * 0.755, 0.448, 0.065), idx, w, 21 + side); // thumb tip
    }
    int[] legJoints = {1, 2, 4, 5, 7, 8}; // hips, knees, ankles
    for (int k = 0; k < legJoints.length; k++) {
      fromRegressor(regressor, n, legJoints[k], idx, w, 23 + k);
    }
    for (int side = 0; side < 2; side++) {
      double sx = side == 0 ? 1 : -1;
      nearest(v, n, p(sx * 0.11, -0.96, -0.11), idx, w, 29 + side); // heel
      nearest(v, n, p(sx * 0.125, -0.975, 0.2), idx, w, 31 + side); // foot index (toe tip)
    }
    return new Landmarks(idx, w);
  }

  private static void fromRegressor(
      float[] reg, int n, int joint, int[][] idx, float[][] w, int l) {
    List<Integer> vs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (reg[joint * n + i] != 0) {
        vs.add(i);
      }
    }
    idx[l] = vs.stream().mapToInt(Integer::intValue).toArray();
    w[l] = new float[idx[l].length];
    double sum = 0;
    for (int k = 0; k < idx[l].length; k++) {
      w[l][k] = reg[joint * n + idx[l][k]];
      sum += w[l][k];
    }
    for (int k = 0; k < w[l].length; k++) {
      w[l][k] /= (float) sum;
    }
  }

  /** The 3 vertices nearest to a target point, weighted by inverse distance. */
  private static void nearest(float[] v, int n, double[] target, int[][] idx, float[][] w, int l) {
    int[] best = {-1, -1, -1};
    double[] bestD = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
    for (int i = 0; i < n; i++) {
      double dx = v[i * 3] - target[0];
      double dy = v[i * 3 + 1] - target[1];
      double dz = v[i * 3 + 2] - target[2];
      double d = Math.sqrt(dx * dx + dy * dy + dz * dz);
      for (int k = 0; k < 3; k++) {
        if (d < bestD[k]) {
          for (int m = 2; m > k; m--) {
            bestD[m] = bestD[m - 1];
            best[m] = best[m - 1];
          }
          bestD[k] = d;
          best[k] = i;
          break;
        }
      }
    }
    double sum = 0;
    double[] inv = new double[3];
    for (int k = 0; k < 3; k++) {
      inv[k] = 1 / (bestD[k] + 1e-4);
      sum += inv[k];
    }
    idx[l] = best;
    w[l] = new float[3];
    for (int k = 0; k < 3; k++) {
      w[l][k] = (float) (inv[k] / sum);
    }
  }

  // --- small vector helpers ------------------------------------------------------------------

  static double segmentT(double[] p, double[] a, double[] b) {
    double[] ab = sub(b, a);
    double len2 = ab[0] * ab[0] + ab[1] * ab[1] + ab[2] * ab[2];
    if (len2 < 1e-12) {
      return 0;
    }
    double t = ((p[0] - a[0]) * ab[0] + (p[1] - a[1]) * ab[1] + (p[2] - a[2]) * ab[2]) / len2;
    return Math.max(0, Math.min(1, t));
  }

  static double segmentDistance(double[] p, double[] a, double[] b) {
    double t = segmentT(p, a, b);
    double x = a[0] + t * (b[0] - a[0]) - p[0];
    double y = a[1] + t * (b[1] - a[1]) - p[1];
    double z = a[2] + t * (b[2] - a[2]) - p[2];
    return Math.sqrt(x * x + y * y + z * z);
  }

  private static double[] p(double x, double y, double z) {
    return new double[] {x, y, z};
  }

  private static double[] sub(double[] a, double[] b) {
    return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
  }

  private static double[] add(double[] a, double[] b) {
    return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
  }

  private static double[] scale(double[] a, double s) {
    return new double[] {a[0] * s, a[1] * s, a[2] * s};
  }

  private static double[] norm(double[] a) {
    double n = Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    return scale(a, 1 / n);
  }
}
