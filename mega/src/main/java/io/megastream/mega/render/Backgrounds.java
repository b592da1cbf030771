package io.megastream.mega.render;

import java.util.Random;

/**
 * Procedural backgrounds for synthetic frames: sky-to-ground gradients, value noise at several
 * scales (grass, gravel, walls), stripes (court lines, fences) and random boxes. Deterministic for
 * a seed. Thread-safe (stateless).
 */
public final class Backgrounds {

  private Backgrounds() {}

  /** A background of width x height, 0xRRGGBB, drawn from a seed. */
  public static int[] random(int width, int height, long seed) {
    Random r = new Random(seed);
    int[] px = new int[width * height];
    double horizon = height * (0.35 + 0.3 * r.nextDouble());
    double[] sky = {
      0.55 + 0.3 * r.nextDouble(), 0.6 + 0.3 * r.nextDouble(), 0.7 + 0.3 * r.nextDouble()
    };
    double[] ground = palette(r);
    double[] wall = palette(r);
    boolean indoor = r.nextBoolean();
    double noiseScale = 4 + r.nextInt(40);
    double noiseAmp = 0.05 + 0.2 * r.nextDouble();
    double[][] grid = noiseGrid(r, 64);
    boolean stripes = r.nextDouble() < 0.4;
    double stripeAngle = r.nextDouble() * Math.PI;
    double stripePeriod = 30 + r.nextInt(150);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double[] base;
        if (y < horizon) {
          double t = y / horizon;
          base = indoor ? wall : mix(sky, new double[] {0.9, 0.9, 0.95}, t);
        } else {
          double t = (y - horizon) / (height - horizon);
          base = mix(ground, scale(ground, 0.7), t);
        }
        double n =
            noise(grid, x / noiseScale, y / noiseScale) * noiseAmp
                + noise(grid, x / (noiseScale * 0.25), y / (noiseScale * 0.25)) * noiseAmp * 0.5;
        double s = 0;
        if (stripes && y >= horizon) {
          double u = x * Math.cos(stripeAngle) + y * Math.sin(stripeAngle);
          s = Math.abs((u % stripePeriod + stripePeriod) % stripePeriod) < 4 ? 0.35 : 0;
        }
        px[y * width + x] = rgb(base[0] + n + s, base[1] + n + s, base[2] + n + s);
      }
    }
    int boxes = r.nextInt(6);
    for (int b = 0; b < boxes; b++) {
      int w = 10 + r.nextInt(width / 4);
      int h = 10 + r.nextInt(height / 3);
      int x0 = r.nextInt(Math.max(1, width - w));
      int y0 = (int) Math.max(0, horizon - h + r.nextInt(20));
      double[] c = palette(r);
      for (int y = y0; y < Math.min(height, y0 + h); y++) {
        for (int x = x0; x < Math.min(width, x0 + w); x++) {
          double n = noise(grid, x / 6.0, y / 6.0) * 0.08;
          px[y * width + x] = rgb(c[0] + n, c[1] + n, c[2] + n);
        }
      }
    }
    return px;
  }

  private static double[] palette(Random r) {
    double[][] p = {
      {0.25, 0.45, 0.2},
      {0.35, 0.55, 0.25},
      {0.55, 0.45, 0.35},
      {0.6, 0.6, 0.6},
      {0.3, 0.3, 0.35},
      {0.7, 0.55, 0.4},
      {0.2, 0.35, 0.6},
      {0.65, 0.3, 0.25},
      {0.85, 0.85, 0.8}
    };
    double[] c = p[r.nextInt(p.length)];
    double j = 0.85 + 0.3 * r.nextDouble();
    return new double[] {c[0] * j, c[1] * j, c[2] * j};
  }

  private static double[][] noiseGrid(Random r, int n) {
    double[][] g = new double[n][n];
    for (double[] row : g) {
      for (int i = 0; i < n; i++) {
        row[i] = r.nextDouble() * 2 - 1;
      }
    }
    return g;
  }

  /** Bilinear value noise on a wrapped grid, -1..1. */
  private static double noise(double[][] g, double x, double y) {
    int n = g.length;
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    double fx = x - x0;
    double fy = y - y0;
    fx = fx * fx * (3 - 2 * fx);
    fy = fy * fy * (3 - 2 * fy);
    int xa = Math.floorMod(x0, n);
    int xb = Math.floorMod(x0 + 1, n);
    int ya = Math.floorMod(y0, n);
    int yb = Math.floorMod(y0 + 1, n);
    double top = g[ya][xa] * (1 - fx) + g[ya][xb] * fx;
    double bottom = g[yb][xa] * (1 - fx) + g[yb][xb] * fx;
    return top * (1 - fy) + bottom * fy;
  }

  private static double[] mix(double[] a, double[] b, double t) {
    return new double[] {
      a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t
    };
  }

  private static double[] scale(double[] a, double s) {
    return new double[] {a[0] * s, a[1] * s, a[2] * s};
  }

  static int rgb(double r, double g, double b) {
    int ri = (int) Math.max(0, Math.min(255, Math.round(r * 255)));
    int gi = (int) Math.max(0, Math.min(255, Math.round(g * 255)));
    int bi = (int) Math.max(0, Math.min(255, Math.round(b * 255)));
    return (ri << 16) | (gi << 8) | bi;
  }
}
