package io.megastream.mega.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The fixed down- and up-sampling structure of the tokenizer over one mesh topology: at each level
 * a subset of the mesh's vertices, chosen by farthest-point sampling in geodesic (edge-path)
 * distance so that nodes spread evenly over the surface; for every node, its nearest nodes of the
 * same level (convolution), of the finer level (pooling) and of the coarser level (unpooling),
 * ordered by geodesic distance. The coarsest level's nodes are the token regions. Deterministic for
 * a mesh; immutable and thread-safe.
 */
public final class MeshHierarchy {

  private final int[] sizes;
  private final int[][] nodes; // per level: mesh vertex index of each node
  private final int[][] conv; // per level: nodes x kConv neighbours (same level), flattened
  private final int[][] pool; // per level l >= 1: nodes(l) x kPool nodes of level l-1
  private final int[][] unpool; // per level l < last: nodes(l) x kUnpool nodes of level l+1
  private final int kConv;
  private final int kPool;
  private final int kUnpool;

  /**
   * @param vertices template vertices V x 3
   * @param faces F x 3
   * @param sizes node counts per level, the first equal to V, strictly decreasing
   * @param kConv neighbours per convolution (including the node itself)
   * @param kPool finer nodes pooled into each coarser node
   * @param kUnpool coarser nodes a finer node reads from
   */
  public MeshHierarchy(
      float[] vertices, int[] faces, int[] sizes, int kConv, int kPool, int kUnpool) {
    int v = vertices.length / 3;
    if (sizes[0] != v) {
      throw new IllegalArgumentException("level 0 must have all " + v + " vertices");
    }
    for (int l = 1; l < sizes.length; l++) {
      if (sizes[l] >= sizes[l - 1] || sizes[l] < kUnpool) {
        throw new IllegalArgumentException("level sizes must decrease: " + Arrays.toString(sizes));
      }
    }
    this.sizes = sizes.clone();
    this.kConv = kConv;
    this.kPool = kPool;
    this.kUnpool = kUnpool;
    Graph g = new Graph(vertices, faces);
    nodes = new int[sizes.length][];
    nodes[0] = new int[v];
    for (int i = 0; i < v; i++) {
      nodes[0][i] = i;
    }
    for (int l = 1; l < sizes.length; l++) {
      nodes[l] = g.farthestPoints(nodes[l - 1], sizes[l]);
    }
    conv = new int[sizes.length][];
    pool = new int[sizes.length][];
    unpool = new int[sizes.length][];
    for (int l = 0; l < sizes.length; l++) {
      conv[l] = g.nearestAmong(nodes[l], nodes[l], kConv);
      if (l > 0) {
        pool[l] = g.nearestAmong(nodes[l], nodes[l - 1], kPool);
      }
      if (l < sizes.length - 1) {
        unpool[l] = g.nearestAmong(nodes[l], nodes[l + 1], kUnpool);
      }
    }
  }

  public int levels() {
    return sizes.length;
  }

  public int size(int level) {
    return sizes[level];
  }

  public int kConv() {
    return kConv;
  }

  public int kPool() {
    return kPool;
  }

  public int kUnpool() {
    return kUnpool;
  }

  /** Mesh vertex index of each node of a level (a copy). */
  public int[] nodes(int level) {
    return nodes[level].clone();
  }

  /** Same-level neighbours, nodes x kConv, flattened, nearest (the node itself) first. */
  public int[] conv(int level) {
    return conv[level].clone();
  }

  /** For level l >= 1: indices into level l-1, nodes(l) x kPool, flattened. */
  public int[] pool(int level) {
    return pool[level].clone();
  }

  /** For level l < last: indices into level l+1, nodes(l) x kUnpool, flattened. */
  public int[] unpool(int level) {
    return unpool[level].clone();
  }

  /** The token region of every mesh vertex: the coarsest node nearest to it (geodesic), 0..54. */
  public int[] regionOfVertex(float[] vertices, int[] faces) {
    Graph g = new Graph(vertices, faces);
    int last = sizes.length - 1;
    int[] all = nodes[0];
    int[] nearest = g.nearestAmong(all, nodes[last], 1);
    return nearest;
  }

  /** The mesh as an undirected graph with edge lengths. */
  private static final class Graph {
    final int n;
    final int[][] adj;
    final double[][] len;

    Graph(float[] v, int[] faces) {
      n = v.length / 3;
      List<List<Integer>> nb = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        nb.add(new ArrayList<>());
      }
      for (int f = 0; f < faces.length; f += 3) {
        for (int e = 0; e < 3; e++) {
          int a = faces[f + e];
          int b = faces[f + (e + 1) % 3];
          if (!nb.get(a).contains(b)) {
            nb.get(a).add(b);
            nb.get(b).add(a);
          }
        }
      }
      adj = new int[n][];
      len = new double[n][];
      for (int i = 0; i < n; i++) {
        adj[i] = nb.get(i).stream().mapToInt(Integer::intValue).sorted().toArray();
        len[i] = new double[adj[i].length];
        for (int k = 0; k < adj[i].length; k++) {
          int j = adj[i][k];
          double dx = v[i * 3] - v[j * 3];
          double dy = v[i * 3 + 1] - v[j * 3 + 1];
          double dz = v[i * 3 + 2] - v[j * 3 + 2];
          len[i][k] = Math.sqrt(dx * dx + dy * dy + dz * dz);
        }
      }
    }

    /** Farthest-point sampling of {@code count} of the candidates, starting from the first. */
    int[] farthestPoints(int[] candidates, int count) {
      boolean[] isCandidate = new boolean[n];
      for (int c : candidates) {
        isCandidate[c] = true;
      }
      double[] dist = new double[n];
      Arrays.fill(dist, Double.POSITIVE_INFINITY);
      int[] chosen = new int[count];
      // start from the candidate nearest the top of the head region: lowest index is arbitrary
      // but deterministic
      int next = candidates[0];
      for (int c = 0; c < count; c++) {
        chosen[c] = next;
        relax(next, dist);
        double best = -1;
        for (int cand : candidates) {
          if (dist[cand] > best) {
            best = dist[cand];
            next = cand;
          }
        }
      }
      Arrays.sort(chosen);
      return chosen;
    }

    /** Dijkstra from a source, lowering {@code dist} wherever the source is closer. */
    private void relax(int source, double[] dist) {
      PriorityQueue<double[]> q = new PriorityQueue<>((x, y) -> Double.compare(x[0], y[0]));
      dist[source] = 0;
      q.add(new double[] {0, source});
      while (!q.isEmpty()) {
        double[] top = q.poll();
        int u = (int) top[1];
        if (top[0] > dist[u]) {
          continue;
        }
        for (int k = 0; k < adj[u].length; k++) {
          int w = adj[u][k];
          double d = top[0] + len[u][k];
          if (d < dist[w]) {
            dist[w] = d;
            q.add(new double[] {d, w});
          }
        }
      }
    }

    /**
     * For each query vertex, the indices (into {@code targets}) of the k nearest targets by
     * geodesic distance, nearest first; flattened queries x k.
     */
    int[] nearestAmong(int[] queries, int[] targets, int k) {
      int[] targetIndex = new int[n];
      Arrays.fill(targetIndex, -1);
      for (int i = 0; i < targets.length; i++) {
        targetIndex[targets[i]] = i;
      }
      int[] out = new int[queries.length * k];
      double[] dist = new double[n];
      Arrays.fill(dist, Double.POSITIVE_INFINITY);
      List<Integer> touched = new ArrayList<>();
      for (int qi = 0; qi < queries.length; qi++) {
        PriorityQueue<double[]> q = new PriorityQueue<>((x, y) -> Double.compare(x[0], y[0]));
        int src = queries[qi];
        dist[src] = 0;
        touched.add(src);
        q.add(new double[] {0, src});
        int found = 0;
        while (!q.isEmpty() && found < k) {
          double[] top = q.poll();
          int u = (int) top[1];
          if (top[0] > dist[u]) {
            continue;
          }
          if (targetIndex[u] >= 0) {
            out[qi * k + found++] = targetIndex[u];
            dist[u] = -1; // settled and counted
          }
          for (int e = 0; e < adj[u].length; e++) {
            int w = adj[u][e];
            double d = top[0] + len[u][e];
            if (dist[w] >= 0 && d < dist[w]) {
              dist[w] = d;
              touched.add(w);
              q.add(new double[] {d, w});
            }
          }
        }
        if (found < k) {
          throw new IllegalStateException("mesh component too small for k=" + k);
        }
        for (int t : touched) {
          dist[t] = Double.POSITIVE_INFINITY;
        }
        touched.clear();
      }
      return out;
    }
  }
}
