package io.megastream.mega.body;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Extracts a closed triangle mesh from a signed distance field by naive surface nets: one vertex
 * per grid cell the surface crosses (at the mean of the edge crossings), one quad per grid edge the
 * surface crosses, split into two triangles; then vertices are projected onto the surface.
 * Thread-safe (stateless).
 */
final class SurfaceNets {

  /** The extracted mesh. */
  record Mesh(float[] vertices, int[] faces) {}

  private SurfaceNets() {}

  /**
   * @param sdf negative inside, positive outside
   * @param min lower corner of the grid
   * @param max upper corner of the grid (the surface must lie strictly inside)
   * @param cell grid spacing
   */
  static Mesh extract(ToDoubleFunction<double[]> sdf, double[] min, double[] max, double cell) {
    int nx = (int) Math.ceil((max[0] - min[0]) / cell) + 1;
    int ny = (int) Math.ceil((max[1] - min[1]) / cell) + 1;
    int nz = (int) Math.ceil((max[2] - min[2]) / cell) + 1;
    double[] field = new double[nx * ny * nz];
    double[] p = new double[3];
    for (int k = 0; k < nz; k++) {
      for (int j = 0; j < ny; j++) {
        for (int i = 0; i < nx; i++) {
          p[0] = min[0] + i * cell;
          p[1] = min[1] + j * cell;
          p[2] = min[2] + k * cell;
          field[(k * ny + j) * nx + i] = sdf.applyAsDouble(p);
        }
      }
    }
    Map<Long, Integer> cellVertex = new HashMap<>();
    List<double[]> verts = new ArrayList<>();
    int[][] corners = {
      {0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {1, 1, 0}, {0, 0, 1}, {1, 0, 1}, {0, 1, 1}, {1, 1, 1}
    };
    int[][] edges = {
      {0, 1}, {2, 3}, {4, 5}, {6, 7}, {0, 2}, {1, 3}, {4, 6}, {5, 7}, {0, 4}, {1, 5}, {2, 6}, {3, 7}
    };
    double[] val = new double[8];
    for (int k = 0; k < nz - 1; k++) {
      for (int j = 0; j < ny - 1; j++) {
        for (int i = 0; i < nx - 1; i++) {
          int inside = 0;
          for (int c = 0; c < 8; c++) {
            val[c] = field[((k + corners[c][2]) * ny + j + corners[c][1]) * nx + i + corners[c][0]];
            if (val[c] < 0) {
              inside++;
            }
          }
          if (inside == 0 || inside == 8) {
            continue;
          }
          double sx = 0;
          double sy = 0;
          double sz = 0;
          int n = 0;
          for (int[] e : edges) {
            double a = val[e[0]];
            double b = val[e[1]];
            if ((a < 0) == (b < 0)) {
              continue;
            }
            double t = a / (a - b);
            int[] ca = corners[e[0]];
            int[] cb = corners[e[1]];
            sx += ca[0] + t * (cb[0] - ca[0]);
            sy += ca[1] + t * (cb[1] - ca[1]);
            sz += ca[2] + t * (cb[2] - ca[2]);
            n++;
          }
          cellVertex.put(key(i, j, k), verts.size());
          verts.add(
              new double[] {
                min[0] + (i + sx / n) * cell,
                min[1] + (j + sy / n) * cell,
                min[2] + (k + sz / n) * cell
              });
        }
      }
    }
    List<int[]> tris = new ArrayList<>();
    for (int k = 1; k < nz - 1; k++) {
      for (int j = 1; j < ny - 1; j++) {
        for (int i = 1; i < nx - 1; i++) {
          boolean in = field[(k * ny + j) * nx + i] < 0;
          // edge along +x from (i,j,k): cells sharing it are (i, j-1..j, k-1..k)
          if (i < nx - 1 && in != field[(k * ny + j) * nx + i + 1] < 0) {
            quad(
                tris,
                cellVertex,
                in,
                key(i, j - 1, k - 1),
                key(i, j, k - 1),
                key(i, j, k),
                key(i, j - 1, k));
          }
          if (j < ny - 1 && in != field[(k * ny + j + 1) * nx + i] < 0) {
            quad(
                tris,
                cellVertex,
                in,
                key(i - 1, j, k - 1),
                key(i - 1, j, k),
                key(i, j, k),
                key(i, j, k - 1));
          }
          if (k < nz - 1 && in != field[((k + 1) * ny + j) * nx + i] < 0) {
            quad(
                tris,
                cellVertex,
                in,
                key(i - 1, j - 1, k),
                key(i, j - 1, k),
                key(i, j, k),
                key(i - 1, j, k));
          }
        }
      }
    }
    float[] v = new float[verts.size() * 3];
    for (int i = 0; i < verts.size(); i++) {
      double[] q = project(sdf, verts.get(i), cell);
      v[i * 3] = (float) q[0];
      v[i * 3 + 1] = (float) q[1];
      v[i * 3 + 2] = (float) q[2];
    }
    int[] f = new int[tris.size() * 3];
    for (int i = 0; i < tris.size(); i++) {
      System.arraycopy(tris.get(i), 0, f, i * 3, 3);
    }
    return new Mesh(v, f);
  }

  private static void quad(
      List<int[]> tris,
      Map<Long, Integer> cellVertex,
      boolean flip,
      long a,
      long b,
      long c,
      long d) {
    int va = cellVertex.get(a);
    int vb = cellVertex.get(b);
    int vc = cellVertex.get(c);
    int vd = cellVertex.get(d);
    if (flip) {
      tris.add(new int[] {va, vb, vc});
      tris.add(new int[] {va, vc, vd});
    } else {
      tris.add(new int[] {va, vc, vb});
      tris.add(new int[] {va, vd, vc});
    }
  }

  /** A few Newton steps along the field's gradient onto the zero level set, bounded by a cell. */
  private static double[] project(ToDoubleFunction<double[]> sdf, double[] p, double cell) {
    double[] q = p.clone();
    double h = cell * 0.05;
    for (int it = 0; it < 4; it++) {
      double d = sdf.applyAsDouble(q);
      double[] g = new double[3];
      for (int a = 0; a < 3; a++) {
        double[] qp = q.clone();
        double[] qm = q.clone();
        qp[a] += h;
        qm[a] -= h;
        g[a] = (sdf.applyAsDouble(qp) - sdf.applyAsDouble(qm)) / (2 * h);
      }
      double g2 = g[0] * g[0] + g[1] * g[1] + g[2] * g[2];
      if (g2 < 1e-12) {
        break;
      }
      for (int a = 0; a < 3; a++) {
        q[a] -= d * g[a] / g2;
      }
    }
    double dx = q[0] - p[0];
    double dy = q[1] - p[1];
    double dz = q[2] - p[2];
    double moved = Math.sqrt(dx * dx + dy * dy + dz * dz);
    if (moved > cell) { // keep the cell structure: never move a vertex out of its neighbourhood
      double s = cell / moved;
      return new double[] {p[0] + dx * s, p[1] + dy * s, p[2] + dz * s};
    }
    return q;
  }

  private static long key(int i, int j, int k) {
    return ((long) k << 42) | ((long) j << 21) | i;
  }
}
