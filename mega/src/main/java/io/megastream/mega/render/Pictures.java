package io.megastream.mega.render;

import io.megastream.mega.body.SkinnedBodyModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Picture grids for reports and the README: canonical meshes side by side, optionally coloured by a
 * per-vertex value (error in millimetres). Thread-safe (stateless).
 */
public final class Pictures {

  private Pictures() {}

  /**
   * Renders meshes (each V x 3, canonical, metres) in a grid of {@code columns}, each cell 160 x
   * 240 pixels, and writes a PNG.
   *
   * @param colors per mesh V x 3 linear RGB, or null for a neutral clay colour
   * @throws IOException if the file cannot be written
   */
  public static void grid(
      SkinnedBodyModel body, List<float[]> meshes, List<float[]> colors, int columns, Path file)
      throws IOException {
    int cw = 160;
    int ch = 240;
    int rows = (meshes.size() + columns - 1) / columns;
    int w = cw * columns;
    int h = ch * rows;
    int[] canvas = new int[w * h];
    java.util.Arrays.fill(canvas, 0x2b3035);
    Raster r = new Raster(cw, ch);
    Camera cam =
        Camera.lookAt(new double[] {1.2, 0.4, 3.4}, new double[] {0, -0.12, 0}, 230, cw, ch);
    int[] faces = body.faces();
    for (int i = 0; i < meshes.size(); i++) {
      r.clear(0x2b3035);
      float[] c = colors == null ? clay(body.vertexCount()) : colors.get(i);
      r.draw(meshes.get(i), faces, c, cam, new double[] {-0.4, -0.6, -0.7}, 0.35, 1);
      int[] px = r.pixels();
      int ox = (i % columns) * cw;
      int oy = (i / columns) * ch;
      for (int y = 0; y < ch; y++) {
        System.arraycopy(px, y * cw, canvas, (oy + y) * w + ox, cw);
      }
    }
    java.awt.image.BufferedImage img =
        new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, w, h, canvas, 0, w);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    javax.imageio.ImageIO.write(img, "png", file.toFile());
  }

  /** Per-vertex colours for values from 0 (blue) to {@code max} (red). */
  public static float[] heat(float[] values, double max) {
    float[] c = new float[values.length * 3];
    for (int i = 0; i < values.length; i++) {
      double t = Math.max(0, Math.min(1, values[i] / max));
      c[i * 3] = (float) Math.min(1, 2 * t);
      c[i * 3 + 1] = (float) (0.15 + 0.6 * (1 - Math.abs(2 * t - 1)));
      c[i * 3 + 2] = (float) Math.min(1, 2 * (1 - t));
    }
    return c;
  }

  private static float[] clay(int n) {
    float[] c = new float[n * 3];
    for (int i = 0; i < n; i++) {
      c[i * 3] = 0.72f;
      c[i * 3 + 1] = 0.55f;
      c[i * 3 + 2] = 0.45f;
    }
    return c;
  }
}
