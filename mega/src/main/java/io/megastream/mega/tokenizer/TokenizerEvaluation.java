package io.megastream.mega.tokenizer;

import io.megastream.mega.body.BodyParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tokenizer report: reconstruction on held-out motion and on uniformly random poses (stress),
 * codebook usage, and encode/decode throughput at batch 1 and 64, written as markdown.
 */
public final class TokenizerEvaluation {

  /** Throughput in meshes per second. */
  public record Throughput(int batch, double encodePerSecond, double decodePerSecond) {}

  /** Everything the report shows. */
  public record Report(
      TokenizerMetrics heldOut,
      TokenizerMetrics uniform,
      List<Throughput> throughput,
      TokenizerModel.Manifest manifest,
      long parameters) {

    /** The report as markdown. */
    public String markdown() {
      StringBuilder sb = new StringBuilder();
      sb.append("# Tokenizer evaluation\n\n");
      sb.append("Measured on MegaStream's own synthetic motion (not AMASS/3DPW): ");
      sb.append("subjects and clips generated with a seed never used in training.\n\n");
      sb.append(
          "| set | meshes | PVE (mm) | MPJPE (mm) | perplexity | dead codes |\n|---|---|---|---|---|---|\n");
      row(sb, "held-out motion", heldOut);
      row(sb, "uniform random poses (stress)", uniform);
      sb.append("\n| batch | encode (meshes/s) | decode (meshes/s) |\n|---|---|---|\n");
      for (Throughput t : throughput) {
        sb.append(
            String.format(
                "| %d | %.1f | %.1f |%n", t.batch(), t.encodePerSecond(), t.decodePerSecond()));
      }
      sb.append(String.format("%nModel: %d trainable parameters", parameters));
      if (manifest != null) {
        sb.append(String.format(", %d training steps, %s", manifest.steps, manifest.config));
        Object cpu = manifest.metrics.get("cpu_seconds");
        if (cpu instanceof Number n) {
          sb.append(String.format(", %.0f CPU-minutes of training", n.doubleValue() / 60));
        }
      }
      sb.append(".\n");
      return sb.toString();
    }

    private static void row(StringBuilder sb, String name, TokenizerMetrics m) {
      sb.append(
          String.format(
              "| %s | %d | %.1f | %.1f | %.1f | %d |%n",
              name, m.meshes(), m.pveMm(), m.mpjpeMm(), m.perplexity(), m.deadCodes()));
    }
  }

  private TokenizerEvaluation() {}

  /** Runs the evaluation. */
  public static Report run(
      TokenizerModel model,
      List<BodyParams> heldOut,
      List<BodyParams> uniform,
      TokenizerModel.Manifest manifest) {
    TokenizerMetrics h = model.evaluate(heldOut, 64);
    TokenizerMetrics u = model.evaluate(uniform, 64);
    List<Throughput> tp = new ArrayList<>();
    for (int batch : new int[] {1, 64}) {
      tp.add(throughput(model, heldOut, batch));
    }
    return new Report(h, u, tp, manifest, model.parameterCount());
  }

  static Throughput throughput(TokenizerModel model, List<BodyParams> bodies, int batch) {
    List<float[]> meshes = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      meshes.add(model.batches().canonicalMesh(bodies.get(i % bodies.size())));
    }
    int[][] tokens = model.encode(meshes); // warm-up
    model.decode(tokens);
    int reps = Math.max(3, 256 / batch);
    long t0 = System.nanoTime();
    for (int r = 0; r < reps; r++) {
      tokens = model.encode(meshes);
    }
    double enc = reps * batch / ((System.nanoTime() - t0) / 1e9);
    t0 = System.nanoTime();
    for (int r = 0; r < reps; r++) {
      model.decode(tokens);
    }
    double dec = reps * batch / ((System.nanoTime() - t0) / 1e9);
    return new Throughput(batch, enc, dec);
  }

  /**
   * Writes two PNG grids into {@code dir}: {@code poses.png} (the held-out bodies) and {@code
   * reconstructions.png} (each body next to its reconstruction from 54 tokens, coloured by the
   * per-vertex error, blue 0 to red 30 mm).
   *
   * @throws IOException if a file cannot be written
   */
  public static void pictures(TokenizerModel model, List<BodyParams> bodies, Path dir)
      throws IOException {
    List<float[]> truth = new ArrayList<>();
    for (BodyParams b : bodies) {
      truth.add(model.batches().canonicalMesh(b));
    }
    io.megastream.mega.render.Pictures.grid(model.body(), truth, null, 8, dir.resolve("poses.png"));
    List<float[]> recon = model.decode(model.encode(truth));
    List<float[]> meshes = new ArrayList<>();
    List<float[]> colors = new ArrayList<>();
    float[] clay = null;
    for (int i = 0; i < truth.size(); i++) {
      float[] t = truth.get(i);
      float[] r = recon.get(i);
      float[] err = new float[t.length / 3];
      for (int v = 0; v < err.length; v++) {
        double dx = t[v * 3] - r[v * 3];
        double dy = t[v * 3 + 1] - r[v * 3 + 1];
        double dz = t[v * 3 + 2] - r[v * 3 + 2];
        err[v] = (float) (Math.sqrt(dx * dx + dy * dy + dz * dz) * 1000);
      }
      if (clay == null) {
        clay = io.megastream.mega.render.Pictures.heat(new float[err.length], 30);
      }
      meshes.add(t);
      colors.add(clay);
      meshes.add(r);
      colors.add(io.megastream.mega.render.Pictures.heat(err, 30));
    }
    io.megastream.mega.render.Pictures.grid(
        model.body(), meshes, colors, 8, dir.resolve("reconstructions.png"));
  }

  /**
   * Writes {@code tokenizer.md} into a directory.
   *
   * @throws IOException if it cannot be written
   */
  public static Path write(Report report, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path out = dir.resolve("tokenizer.md");
    Files.writeString(out, report.markdown());
    return out;
  }
}
