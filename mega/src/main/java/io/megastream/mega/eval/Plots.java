package io.megastream.mega.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/** Small PNG charts for evaluation reports (Java2D, headless): lines over x, and scatter plots. */
public final class Plots {

  private static final Color[] PALETTE = {
    new Color(0x1f77b4),
    new Color(0xd62728),
    new Color(0x2ca02c),
    new Color(0xff7f0e),
    new Color(0x9467bd),
    new Color(0x8c564b)
  };
  private static final int W = 720;
  private static final int H = 440;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 40;
  private static final int BOTTOM = 55;

  private Plots() {}

  /**
   * Lines: one series per entry of {@code series}, all over {@code x}.
   *
   * @param logX whether the x axis is logarithmic (e.g. Q = 1…100)
   */
  public static void lines(
      Path file,
      String title,
      String xLabel,
      String yLabel,
      double[] x,
      Map<String, double[]> series,
      boolean logX)
      throws IOException {
    double ymin = Double.MAX_VALUE;
    double ymax = -Double.MAX_VALUE;
    for (double[] y : series.values()) {
      for (double v : y) {
        if (Double.isFinite(v)) {
          ymin = Math.min(ymin, v);
          ymax = Math.max(ymax, v);
        }
      }
    }
    Frame f =
        new Frame(title, xLabel, yLabel, fx(x[0], logX), fx(x[x.length - 1], logX), ymin, ymax);
    int s = 0;
    for (Map.Entry<String, double[]> e : series.entrySet()) {
      f.g.setColor(PALETTE[s % PALETTE.length]);
      f.g.setStroke(new BasicStroke(2f));
      double[] y = e.getValue();
      for (int i = 0; i < x.length; i++) {
        int px = f.px(fx(x[i], logX));
        int py = f.py(y[i]);
        f.g.fillOval(px - 3, py - 3, 7, 7);
        if (i > 0) {
          f.g.drawLine(f.px(fx(x[i - 1], logX)), f.py(y[i - 1]), px, py);
        }
      }
      f.legend(s, e.getKey());
      s++;
    }
    for (double v : x) {
      f.xTick(fx(v, logX), format(v));
    }
    f.write(file);
  }

  /** A scatter plot of (x[i], y[i]) with the Pearson correlation in the title. */
  public static void scatter(
      Path file, String title, String xLabel, String yLabel, double[] x, double[] y)
      throws IOException {
    double xmin = Double.MAX_VALUE;
    double xmax = -Double.MAX_VALUE;
    double ymin = Double.MAX_VALUE;
    double ymax = -Double.MAX_VALUE;
    for (int i = 0; i < x.length; i++) {
      xmin = Math.min(xmin, x[i]);
      xmax = Math.max(xmax, x[i]);
      ymin = Math.min(ymin, y[i]);
      ymax = Math.max(ymax, y[i]);
    }
    double r = x.length < 2 ? Double.NaN : io.megastream.mega.motion.MotionStats.pearson(x, y);
    Frame f =
        new Frame(
            title + String.format(" (Pearson r = %.2f, n = %d)", r, x.length),
            xLabel,
            yLabel,
            xmin,
            xmax,
            ymin,
            ymax);
    f.g.setColor(new Color(31, 119, 180, 150));
    for (int i = 0; i < x.length; i++) {
      f.g.fillOval(f.px(x[i]) - 3, f.py(y[i]) - 3, 7, 7);
    }
    for (int t = 0; t <= 4; t++) {
      double v = f.x0 + (f.x1 - f.x0) * t / 4;
      f.xTick(v, format(v));
    }
    f.write(file);
  }

  /** Convenience: an ordered map of series. */
  public static Map<String, double[]> series(Object... nameThenValues) {
    Map<String, double[]> m = new LinkedHashMap<>();
    for (int i = 0; i < nameThenValues.length; i += 2) {
      m.put((String) nameThenValues[i], (double[]) nameThenValues[i + 1]);
    }
    return m;
  }

  private static double fx(double x, boolean log) {
    return log ? Math.log10(x) : x;
  }

  private static String format(double v) {
    return Math.abs(v - Math.rint(v)) < 1e-9
        ? String.valueOf((long) Math.rint(v))
        : String.format("%.2f", v);
  }

  /** Axes, labels and y ticks of one chart. */
  private static final class Frame {
    final BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    final Graphics2D g = img.createGraphics();
    final double x0;
    final double x1;
    final double y0;
    final double y1;

    Frame(String title, String xLabel, String yLabel, double x0, double x1, double y0, double y1) {
      double padY = (y1 - y0) * 0.08 + 1e-9;
      double padX = (x1 - x0) * 0.04 + 1e-9;
      this.x0 = x0 - padX;
      this.x1 = x1 + padX;
      this.y0 = y0 - padY;
      this.y1 = y1 + padY;
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, W, H);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      g.drawString(title, LEFT, 24);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.drawRect(LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
      g.drawString(xLabel, LEFT + (W - LEFT - RIGHT) / 2 - 30, H - 12);
      Graphics2D r = (Graphics2D) g.create();
      r.rotate(-Math.PI / 2);
      r.drawString(yLabel, -(TOP + (H - TOP - BOTTOM) / 2) - 40, 12);
      r.dispose();
      for (int t = 0; t <= 5; t++) {
        double v = this.y0 + (this.y1 - this.y0) * t / 5;
        int py = py(v);
        g.setColor(new Color(230, 230, 230));
        g.drawLine(LEFT + 1, py, W - RIGHT - 1, py);
        g.setColor(Color.BLACK);
        g.drawString(String.format("%.1f", v), 20, py + 4);
      }
    }

    int px(double x) {
      return LEFT + (int) Math.round((x - x0) / (x1 - x0) * (W - LEFT - RIGHT));
    }

    int py(double y) {
      return H - BOTTOM - (int) Math.round((y - y0) / (y1 - y0) * (H - TOP - BOTTOM));
    }

    void xTick(double x, String label) {
      int px = px(x);
      g.setColor(Color.BLACK);
      g.drawLine(px, H - BOTTOM, px, H - BOTTOM + 4);
      g.drawString(label, px - 8, H - BOTTOM + 18);
    }

    void legend(int i, String name) {
      int y = TOP + 16 + i * 18;
      g.fillRect(W - RIGHT - 190, y - 9, 12, 12);
      g.setColor(Color.BLACK);
      g.drawString(name, W - RIGHT - 172, y + 2);
    }

    void write(Path file) throws IOException {
      g.dispose();
      Files.createDirectories(file.toAbsolutePath().getParent());
      ImageIO.write(img, "png", file.toFile());
    }
  }
}
