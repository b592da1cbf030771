package io.megastream.mega.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.megastream.mega.files.ModelFiles;
import io.megastream.mega.pose.PoseFrame;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A MEGA network with its configuration and manifest: create, load, save, and one forward pass from
 * Java arrays to Java arrays (no NDArray leaves this class). Generation is built on {@link
 * #forward} by {@link MegaGenerator}. Not thread-safe: one instance per worker thread.
 */
public final class MegaModel implements AutoCloseable {

  /** Name of the DJL model inside a MEGA directory. */
  public static final String NAME = "mega";

  /** The parameter file inside a MEGA directory. */
  public static final String PARAMS = NAME + ".params";

  /** What a model is conditioned on. */
  public enum Conditioning {
    /** No conditioning: the self-supervised pre-training stage and random generation. */
    NONE,
    /** BlazePose's 33 landmarks and 33 world landmarks, one embedding per landmark. */
    POSE,
    /** A CNN feature grid of the person crop (the paper's form). */
    IMAGE
  }

  /** What a saved model says about itself (mega.json). */
  public static final class Manifest {
    public String version;
    public MegaConfig config;
    public Conditioning conditioning;
    public String tokenizerVersion;
    public String stage;
    public int steps;

    /**
     * Pose models: landmarks are read in the torso's closed-form frame ({@link
     * io.megastream.mega.pose.PoseFrame}) and the rotation is predicted relative to it.
     */
    public boolean canonicalPose;

    public Map<String, Object> metrics = new LinkedHashMap<>();
    public Map<String, Object> provenance = new LinkedHashMap<>();
  }

  /** Logits (B × N × S, row-major) and rotation+camera (B × 9) of one forward pass. */
  public record Output(float[] logits, float[][] rotCam) {}

  private final MegaConfig config;
  private final Conditioning conditioning;
  private final MegaNetwork network;
  private final Model model;
  private final boolean canonicalPose;
  private boolean initialised;

  private MegaModel(MegaConfig config, Conditioning conditioning, boolean canonicalPose) {
    if (canonicalPose && conditioning != Conditioning.POSE) {
      throw new IllegalArgumentException(
          "canonical pose needs POSE conditioning, not " + conditioning);
    }
    this.canonicalPose = canonicalPose;
    if ((conditioning == Conditioning.NONE) != (config.conditionTokens() == 0)) {
      throw new IllegalArgumentException(
          conditioning + " conditioning with " + config.conditionTokens() + " condition tokens");
    }
    this.config = config;
    this.conditioning = conditioning;
    this.network = new MegaNetwork(config);
    this.model = Model.newInstance(NAME);
    model.setBlock(network);
  }

  /** A new model with freshly initialised parameters. */
  public static MegaModel create(MegaConfig config, Conditioning conditioning) {
    return create(config, conditioning, false);
  }

  /**
   * A new model with freshly initialised parameters.
   *
   * @param canonicalPose read landmarks in the torso's closed-form frame (POSE only)
   */
  public static MegaModel create(
      MegaConfig config, Conditioning conditioning, boolean canonicalPose) {
    MegaModel m = new MegaModel(config, conditioning, canonicalPose);
    m.network.initialize(m.model.getNDManager(), DataType.FLOAT32, m.inputShapes(1));
    m.initialised = true;
    return m;
  }

  /**
   * Loads a saved model.
   *
   * @throws MegaLoadException if the directory is missing, incomplete or corrupt
   */
  public static MegaModel load(Path dir) throws MegaLoadException {
    Manifest manifest;
    try {
      manifest = readManifest(dir);
    } catch (IOException e) {
      throw new MegaLoadException(
          "no usable MEGA model at " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    MegaModel m;
    try {
      m = new MegaModel(manifest.config, manifest.conditioning, manifest.canonicalPose);
    } catch (IllegalArgumentException e) {
      throw new MegaLoadException("invalid configuration in " + dir + ": " + e.getMessage(), e);
    }
    try {
      ModelFiles.loadParameters(m.network, m.model.getNDManager(), dir.resolve(PARAMS));
    } catch (IOException | MalformedModelException | RuntimeException e) {
      m.close();
      throw new MegaLoadException(
          "cannot load MEGA parameters from " + dir.resolve(PARAMS) + ": " + e.getMessage(), e);
    }
    m.initialised = true;
    return m;
  }

  /**
   * Reads the manifest of a saved model.
   *
   * @throws IOException if it is missing, unreadable or incomplete
   */
  public static Manifest readManifest(Path dir) throws IOException {
    return ModelFiles.readManifest(
        dir.resolve(NAME + ".json"),
        Manifest.class,
        m -> m.config != null && m.conditioning != null);
  }

  /**
   * Saves parameters and manifest into {@code dir} (created if needed); each file is written to a
   * temporary name first, so an interrupted save never leaves a broken model.
   *
   * @throws IOException if writing fails
   */
  public void save(Path dir, Manifest manifest) throws IOException {
    manifest.config = config;
    manifest.conditioning = conditioning;
    manifest.canonicalPose = canonicalPose;
    ModelFiles.save(dir, PARAMS, network, NAME + ".json", manifest);
  }

  /**
   * One forward pass in inference mode.
   *
   * @param tokens B × N token ids (ignored where not visible)
   * @param visible B × N, true where the token is given
   * @param conditions B × (C·F) conditioning features, or null without conditioning
   */
  public Output forward(int[][] tokens, boolean[][] visible, float[][] conditions) {
    int b = tokens.length;
    double[][] frames = frames(conditions);
    try (NDManager m = model.getNDManager().newSubManager()) {
      NDList out =
          network.forward(
              new ParameterStore(m, false), inputs(m, tokens, visible, conditions, frames), false);
      float[] logits = out.get(0).toFloatArray();
      float[] rc = out.get(1).toFloatArray();
      float[][] rotCam = new float[b][MegaNetwork.ROT_CAM];
      for (int i = 0; i < b; i++) {
        System.arraycopy(rc, i * MegaNetwork.ROT_CAM, rotCam[i], 0, MegaNetwork.ROT_CAM);
        if (frames != null) {
          System.arraycopy(
              PoseFrame.toCamera(Arrays.copyOf(rotCam[i], 6), frames[i]), 0, rotCam[i], 0, 6);
        }
      }
      return new Output(logits, rotCam);
    }
  }

  /** Whether landmarks are read in the torso's closed-form frame (see {@link PoseFrame}). */
  public boolean canonicalPose() {
    return canonicalPose;
  }

  /** The closed-form torso frame of each condition, or null when the model does not use one. */
  double[][] frames(float[][] conditions) {
    if (!canonicalPose || conditions == null) {
      return null;
    }
    double[][] f = new double[conditions.length][];
    for (int i = 0; i < f.length; i++) {
      f[i] = PoseFrame.of(conditions[i]);
    }
    return f;
  }

  /**
   * The network's inputs as arrays in {@code m}.
   *
   * @param frames {@link #frames} of the conditions (null when the model uses none)
   */
  NDList inputs(
      NDManager m, int[][] tokens, boolean[][] visible, float[][] conditions, double[][] frames) {
    if (frames != null) {
      float[][] turned = new float[conditions.length][];
      for (int i = 0; i < turned.length; i++) {
        turned[i] = PoseFrame.canonicalise(conditions[i], frames[i]);
      }
      conditions = turned;
    }
    int b = tokens.length;
    int n = config.tokens();
    long[] t = new long[b * n];
    float[] v = new float[b * n];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < n; j++) {
        t[i * n + j] = visible[i][j] ? tokens[i][j] : config.maskId();
        v[i * n + j] = visible[i][j] ? 1f : 0f;
      }
    }
    NDList in = new NDList(m.create(t, new Shape(b, n)), m.create(v, new Shape(b, n)));
    if (config.conditionTokens() > 0) {
      int cf = config.conditionTokens() * config.conditionFeatures();
      float[] c = new float[b * cf];
      for (int i = 0; i < b; i++) {
        if (conditions == null || conditions[i].length != cf) {
          throw new IllegalArgumentException(
              "sample " + i + " needs " + cf + " conditioning features");
        }
        System.arraycopy(conditions[i], 0, c, i * cf, cf);
      }
      in.add(m.create(c, new Shape(b, config.conditionTokens(), config.conditionFeatures())));
    }
    return in;
  }

  Shape[] inputShapes(int batch) {
    Shape tokens = new Shape(batch, config.tokens());
    if (config.conditionTokens() == 0) {
      return new Shape[] {tokens, tokens};
    }
    return new Shape[] {
      tokens, tokens, new Shape(batch, config.conditionTokens(), config.conditionFeatures())
    };
  }

  public MegaConfig config() {
    return config;
  }

  public Conditioning conditioning() {
    return conditioning;
  }

  MegaNetwork network() {
    return network;
  }

  Model djlModel() {
    return model;
  }

  boolean isInitialised() {
    return initialised;
  }

  /**
   * Starts from another model's parameters wherever name and shape agree (stage 2 from the
   * pre-trained stage 1: everything but the conditioning input).
   *
   * @return names of the parameters copied
   */
  public java.util.List<String> copyMatchingParameters(MegaModel from) {
    java.util.List<String> copied = new java.util.ArrayList<>();
    var mine = network.getParameters();
    for (var entry : from.network.getParameters()) {
      ai.djl.nn.Parameter target = mine.get(entry.getKey());
      NDArray source = entry.getValue().getArray();
      if (target != null && target.getArray().getShape().equals(source.getShape())) {
        target.getArray().set(source.toFloatArray());
        copied.add(entry.getKey());
      }
    }
    return copied;
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
