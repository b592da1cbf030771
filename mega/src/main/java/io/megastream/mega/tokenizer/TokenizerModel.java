package io.megastream.mega.tokenizer;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.JsonUtils;
import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.Joint;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.files.ModelFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Mesh-VQ-VAE tokenizer bound to one body model: canonical meshes to 54 tokens and back. Saved as
 * a directory holding DJL parameters ({@code tokenizer-0000.params}) and {@code tokenizer.json}
 * (config, version, body model, provenance, metrics). One instance per process; {@link #encode} and
 * {@link #decode} are thread-safe (each call uses its own NDManager).
 */
public final class TokenizerModel implements AutoCloseable {

  /** Name of the DJL model inside a tokenizer directory. */
  public static final String NAME = "tokenizer";

  /** The parameter file inside a tokenizer directory. */
  public static final String PARAMS = NAME + ".params";

  private final SkinnedBodyModel body;
  private final TokenizerConfig config;
  private final MeshHierarchy hierarchy;
  private final MeshVqVae network;
  private final Model model;
  private final MeshBatches batches;
  private boolean loaded;

  private TokenizerModel(SkinnedBodyModel body, TokenizerConfig config) {
    this.body = body;
    this.config = config;
    this.hierarchy =
        new MeshHierarchy(
            body.template(),
            body.faces(),
            config.levels(),
            config.kConv(),
            config.kPool(),
            config.kUnpool());
    this.network = new MeshVqVae(config, hierarchy);
    this.model = Model.newInstance(NAME);
    model.setBlock(network);
    this.batches = new MeshBatches(body, config.scale());
  }

  /** A new, untrained tokenizer (initialised by the trainer). */
  public static TokenizerModel create(SkinnedBodyModel body, TokenizerConfig config) {
    if (config.levels()[0] != body.vertexCount()) {
      throw new IllegalArgumentException(
          "config is for "
              + config.levels()[0]
              + " vertices, body model has "
              + body.vertexCount());
    }
    return new TokenizerModel(body, config);
  }

  /**
   * Loads a saved tokenizer for a body model.
   *
   * @throws TokenizerLoadException if the directory is missing, incomplete, for another body model,
   *     or its parameters do not match the configuration
   */
  public static TokenizerModel load(Path dir, SkinnedBodyModel body) throws TokenizerLoadException {
    Path json = dir.resolve(NAME + ".json");
    if (!Files.isRegularFile(json)) {
      throw new TokenizerLoadException(
          "no tokenizer at " + dir.toAbsolutePath() + " (missing " + json.getFileName() + ")");
    }
    Manifest manifest;
    try (Reader r = Files.newBufferedReader(json)) {
      manifest = JsonUtils.GSON.fromJson(r, Manifest.class);
    } catch (IOException | RuntimeException e) {
      throw new TokenizerLoadException("unreadable " + json + ": " + e.getMessage(), e);
    }
    if (!body.name().equals(manifest.bodyModel)
        || body.vertexCount() != manifest.config.levels()[0]) {
      throw new TokenizerLoadException(
          "tokenizer at "
              + dir
              + " was trained for body model "
              + manifest.bodyModel
              + " ("
              + manifest.config.levels()[0]
              + " vertices), not "
              + body.name()
              + " ("
              + body.vertexCount()
              + ")");
    }
    TokenizerModel t = new TokenizerModel(body, manifest.config);
    Path params = dir.resolve(PARAMS);
    try {
      io.megastream.mega.files.ModelFiles.loadParameters(t.network, t.model.getNDManager(), params);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      t.close();
      throw new TokenizerLoadException(
          "cannot load tokenizer parameters from " + dir + ": " + e.getMessage(), e);
    }
    t.loaded = true;
    return t;
  }

  /**
   * Reads the manifest of a saved tokenizer.
   *
   * @throws IOException if it is missing or unreadable
   */
  public static Manifest readManifest(Path dir) throws IOException {
    try (Reader r = Files.newBufferedReader(dir.resolve(NAME + ".json"))) {
      Manifest m = JsonUtils.GSON.fromJson(r, Manifest.class);
      if (m == null || m.config == null) {
        throw new IOException("incomplete manifest in " + dir);
      }
      return m;
    } catch (RuntimeException e) {
      throw new IOException("unreadable manifest in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The manifest written next to the parameters. */
  public static final class Manifest {
    public String version;
    public String bodyModel;
    public TokenizerConfig config;
    public int steps;
    public Map<String, Object> metrics = new LinkedHashMap<>();
    public Map<String, Object> provenance = new LinkedHashMap<>();
  }

  /**
   * Saves parameters and manifest into {@code dir} (created if needed).
   *
   * @throws IOException if writing fails
   */
  public void save(Path dir, Manifest manifest) throws IOException {
    manifest.bodyModel = body.name();
    manifest.config = config;
    // DJL's block format: version, input shapes, every parameter including the EMA state
    ModelFiles.save(dir, PARAMS, network, NAME + ".json", manifest);
  }

  /** Tokens of canonical meshes (each V x 3, metres): meshes x N. */
  public int[][] encode(List<float[]> canonicalMeshes) {
    int v = body.vertexCount();
    try (NDManager m = model.getNDManager().newSubManager()) {
      NDArray x =
          m.create(
              batches.offsetsOfMeshes(canonicalMeshes), new Shape(canonicalMeshes.size(), v, 3));
      ParameterStore store = new ParameterStore(m, false);
      NDArray z = network.encode(store, x, false);
      NDArray idx = MeshVqVae.nearestCodes(z, MeshVqVae.local(network.codebook().getArray(), m));
      return toRows(
          idx.toType(DataType.INT32, false).toIntArray(), canonicalMeshes.size(), config.tokens());
    }
  }

  /** Canonical meshes (V x 3, metres) decoded from tokens. */
  public List<float[]> decode(int[][] tokens) {
    try (NDManager m = model.getNDManager().newSubManager()) {
      int n = config.tokens();
      long[] flat = new long[tokens.length * n];
      for (int b = 0; b < tokens.length; b++) {
        if (tokens[b].length != n) {
          throw new IllegalArgumentException(
              "token sequence " + b + " has " + tokens[b].length + " tokens, needs " + n);
        }
        for (int i = 0; i < n; i++) {
          if (tokens[b][i] < 0 || tokens[b][i] >= config.codebookSize()) {
            throw new IllegalArgumentException("token " + tokens[b][i] + " outside the codebook");
          }
          flat[b * n + i] = tokens[b][i];
        }
      }
      NDArray idx = m.create(flat, new Shape(tokens.length, n));
      NDArray q = MeshVqVae.lookup(MeshVqVae.local(network.codebook().getArray(), m), idx);
      NDArray out = network.decode(new ParameterStore(m, false), q, false);
      float[] offsets = out.toFloatArray();
      List<float[]> meshes = new ArrayList<>(tokens.length);
      for (int b = 0; b < tokens.length; b++) {
        meshes.add(batches.vertices(offsets, b));
      }
      return meshes;
    }
  }

  /** Reconstruction and codebook usage on held-out bodies. */
  public TokenizerMetrics evaluate(List<BodyParams> bodies, int batchSize) {
    int[] usage = new int[config.codebookSize()];
    double pve = 0;
    double mpjpe = 0;
    int count = 0;
    for (int start = 0; start < bodies.size(); start += batchSize) {
      List<BodyParams> chunk = bodies.subList(start, Math.min(bodies.size(), start + batchSize));
      List<float[]> truth = new ArrayList<>();
      for (BodyParams p : chunk) {
        truth.add(batches.canonicalMesh(p));
      }
      int[][] tokens = encode(truth);
      List<float[]> recon = decode(tokens);
      for (int b = 0; b < chunk.size(); b++) {
        for (int t : tokens[b]) {
          usage[t]++;
        }
        pve += io.megastream.mega.body.Meshes.meanVertexDistance(truth.get(b), recon.get(b));
        mpjpe += lspJointError(truth.get(b), recon.get(b));
        count++;
      }
    }
    long total = 0;
    for (int u : usage) {
      total += u;
    }
    double entropy = 0;
    int dead = 0;
    for (int u : usage) {
      if (u == 0) {
        dead++;
      } else {
        double p = (double) u / total;
        entropy -= p * Math.log(p);
      }
    }
    return new TokenizerMetrics(
        count, pve / count * 1000, mpjpe / count * 1000, Math.exp(entropy), dead);
  }

  double lspJointError(float[] truth, float[] recon) {
    float[] jt = body.regressJoints(truth);
    float[] jr = body.regressJoints(recon);
    double s = 0;
    for (Joint j : Joint.LSP14) {
      int k = j.ordinal() * 3;
      double dx = jt[k] - jr[k];
      double dy = jt[k + 1] - jr[k + 1];
      double dz = jt[k + 2] - jr[k + 2];
      s += Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
    return s / Joint.LSP14.size();
  }

  private static int[][] toRows(int[] flat, int rows, int cols) {
    int[][] out = new int[rows][cols];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(flat, r * cols, out[r], 0, cols);
    }
    return out;
  }

  public SkinnedBodyModel body() {
    return body;
  }

  public TokenizerConfig config() {
    return config;
  }

  public MeshHierarchy hierarchy() {
    return hierarchy;
  }

  MeshVqVae network() {
    return network;
  }

  Model djlModel() {
    return model;
  }

  MeshBatches batches() {
    return batches;
  }

  boolean isLoaded() {
    return loaded;
  }

  void markInitialised() {
    loaded = true;
  }

  /** Number of trainable parameters. */
  public long parameterCount() {
    return ModelFiles.trainableParameters(network);
  }

  @Override
  public void close() {
    model.close();
  }
}
