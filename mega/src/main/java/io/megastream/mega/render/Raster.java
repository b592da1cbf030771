package io.megastream.mega.render;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * A z-buffered triangle rasterizer: perspective-correct depth, per-vertex colours with Lambert
 * shading from one directional light plus ambient, back-face culling. Renders into an RGB image
 * with a depth buffer and an object-id mask, so several meshes (people, occluders) can share one
 * frame. Not thread-safe: one per rendering thread.
 */
public final class Raster {

  private final int width;
  private final int height;
  private final int[] rgb;
  private final float[] depth;
  private final int[] ids;

  public Raster(int width, int height) {
    this.width = width;
    this.height = height;
    this.rgb = new int[width * height];
    this.depth = new float[width * height];
    this.ids = new int[width * height];
    clear(0x000000);
  }

  /** Fills the image with one colour and resets depth and ids. */
  public void clear(int color) {
    Arrays.fill(rgb, color);
    Arrays.fill(depth, Float.POSITIVE_INFINITY);
    Arrays.fill(ids, 0);
  }

  /** Sets the background pixels (width x height, 0xRRGGBB) and resets depth and ids. */
  public void background(int[] pixels) {
    System.arraycopy(pixels, 0, rgb, 0, rgb.length);
    Arrays.fill(depth, Float.POSITIVE_INFINITY);
    Arrays.fill(ids, 0);
  }

  /**
   * Draws a triangle mesh.
   *
   * @param vertices V x 3 world coordinates
   * @param faces F x 3, counter-clockwise seen from outside
   * @param colors V x 3 linear RGB in [0, 1] per vertex
   * @param camera the camera
   * @param light direction the light travels, world coordinates (normalised inside)
   * @param ambient ambient share, 0..1
   * @param id object id written into the mask where this mesh is visible (non-zero)
   */
  public void draw(
      float[] vertices,
      int[] faces,
      float[] colors,
      Camera camera,
      double[] light,
      double ambient,
      int id) {
    int n = vertices.length / 3;
    double[] u = new double[n];
    double[] v = new double[n];
    double[] z = new double[n];
    for (int i = 0; i < n; i++) {
      double[] p = camera.project(vertices[i * 3], vertices[i * 3 + 1], vertices[i * 3 + 2]);
      u[i] = p[0];
      v[i] = p[1];
      z[i] = p[2];
    }
    double[] l = Camera.normalize(light);
    for (int f = 0; f < faces.length; f += 3) {
      int a = faces[f];
      int b = faces[f + 1];
      int c = faces[f + 2];
      if (z[a] <= 0.01 || z[b] <= 0.01 || z[c] <= 0.01) {
        continue; // behind or at the camera
      }
      double area = (u[b] - u[a]) * (v[c] - v[a]) - (u[c] - u[a]) * (v[b] - v[a]);
      // image y points down: a counter-clockwise (outside) face has negative signed area
      if (area >= 0) {
        continue;
      }
      double[] normal = faceNormal(vertices, a, b, c);
      double lambert = Math.max(0, -(normal[0] * l[0] + normal[1] * l[1] + normal[2] * l[2]));
      double shade = ambient + (1 - ambient) * lambert;
      fill(u, v, z, a, b, c, area, colors, shade, id);
    }
  }

  private void fill(
      double[] u,
      double[] v,
      double[] z,
      int a,
      int b,
      int c,
      double area,
      float[] colors,
      double shade,
      int id) {
    int minX = Math.max(0, (int) Math.floor(Math.min(u[a], Math.min(u[b], u[c]))));
    int maxX = Math.min(width - 1, (int) Math.ceil(Math.max(u[a], Math.max(u[b], u[c]))));
    int minY = Math.max(0, (int) Math.floor(Math.min(v[a], Math.min(v[b], v[c]))));
    int maxY = Math.min(height - 1, (int) Math.ceil(Math.max(v[a], Math.max(v[b], v[c]))));
    for (int py = minY; py <= maxY; py++) {
      double y = py + 0.5;
      for (int px = minX; px <= maxX; px++) {
        double x = px + 0.5;
        double w0 = ((u[b] - x) * (v[c] - y) - (u[c] - x) * (v[b] - y)) / area;
        double w1 = ((u[c] - x) * (v[a] - y) - (u[a] - x) * (v[c] - y)) / area;
        double w2 = 1 - w0 - w1;
        if (w0 < 0 || w1 < 0 || w2 < 0) {
          continue;
        }
        // perspective-correct interpolation: interpolate 1/z
        double invZ = w0 / z[a] + w1 / z[b] + w2 / z[c];
        float d = (float) (1 / invZ);
        int i = py * width + px;
        if (d >= depth[i]) {
          continue;
        }
        double p0 = w0 / z[a] / invZ;
        double p1 = w1 / z[b] / invZ;
        double p2 = w2 / z[c] / invZ;
        depth[i] = d;
        ids[i] = id;
        int r = channel(colors, a, b, c, p0, p1, p2, 0, shade);
        int g = channel(colors, a, b, c, p0, p1, p2, 1, shade);
        int bl = channel(colors, a, b, c, p0, p1, p2, 2, shade);
        rgb[i] = (r << 16) | (g << 8) | bl;
      }
    }
  }

  private static int channel(
      float[] colors, int a, int b, int c, double p0, double p1, double p2, int ch, double shade) {
    double lin =
        (colors[a * 3 + ch] * p0 + colors[b * 3 + ch] * p1 + colors[c * 3 + ch] * p2) * shade;
    double srgb = lin <= 0.0031308 ? 12.92 * lin : 1.055 * Math.pow(lin, 1 / 2.4) - 0.055;
    return (int) Math.max(0, Math.min(255, Math.round(srgb * 255)));
  }

  private static double[] faceNormal(float[] vs, int a, int b, int c) {
    double[] e1 = {
      vs[b * 3] - vs[a * 3], vs[b * 3 + 1] - vs[a * 3 + 1], vs[b * 3 + 2] - vs[a * 3 + 2]
    };
    double[] e2 = {
      vs[c * 3] - vs[a * 3], vs[c * 3 + 1] - vs[a * 3 + 1], vs[c * 3 + 2] - vs[a * 3 + 2]
    };
    double[] n = Camera.cross(e1, e2);
    double len = Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
    return len < 1e-20 ? new double[] {0, 0, 1} : new double[] {n[0] / len, n[1] / len, n[2] / len};
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The image, 0xRRGGBB per pixel, row-major (a copy). */
  public int[] pixels() {
    return rgb.clone();
  }

  /** The object id per pixel, 0 where only background is visible (a copy). */
  public int[] ids() {
    return ids.clone();
  }

  /** Depth per pixel, +infinity where nothing was drawn (a copy). */
  public float[] depth() {
    return depth.clone();
  }

  /** The image as a {@link BufferedImage}. */
  public BufferedImage image() {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, width, height, rgb, 0, width);
    return img;
  }

  /**
   * Writes the image as PNG.
   *
   * @throws IOException if the file cannot be written
   */
  public void writePng(Path file) throws IOException {
    if (!ImageIO.write(image(), "png", file.toFile())) {
      throw new IOException("no PNG writer available");
    }
  }
}
