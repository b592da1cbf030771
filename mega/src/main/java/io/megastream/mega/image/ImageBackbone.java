package io.megastream.mega.image;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.megastream.mega.body.Joint;
import io.megastream.mega.files.ModelFiles;
import io.megastream.mega.model.MegaLoadException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The {@code image} conditioning's CNN (the paper's form): a person crop of {@link #INPUT}² pixels
 * becomes a {@link #GRID}×{@link #GRID} grid of {@link #CHANNELS}-dimensional features, which MEGA
 * takes as {@link #TOKENS} conditioning embeddings (its own linear layer projects them to D). The
 * grid is pre-trained on the renderer's 2D joints (integral heatmap regression, {@link
 * BackboneTrainer}) and frozen while MEGA trains on it. Not thread-safe.
 */
public final class ImageBackbone implements AutoCloseable {

  /** File names inside a backbone directory. */
  public static final String NAME = "backbone";

  /** Crop side in pixels. */
  public static final int INPUT = 128;

  /** Grid side: the crop downsampled 16 times. */
  public static final int GRID = INPUT / 16;

  /** Features per grid cell. */
  public static final int CHANNELS = 96;

  /** Conditioning embeddings per crop: one per grid cell, row-major. */
  public static final int TOKENS = GRID * GRID;

  /** What a saved backbone says about itself (backbone.json). */
  public static final class Manifest {
    public String version;
    public int input = INPUT;
    public int grid = GRID;
    public int channels = CHANNELS;
    public int steps;
    public Map<String, Object> metrics = new LinkedHashMap<>();
    public Map<String, Object> provenance = new LinkedHashMap<>();
  }

  private final BackboneNetwork network;
  private final Model model;

  private ImageBackbone() {
    network = new BackboneNetwork(CHANNELS, Joint.COUNT, GRID);
    model = Model.newInstance(NAME);
    model.setBlock(network);
  }

  /** A new backbone with freshly initialised parameters. */
  public static ImageBackbone create() {
    ImageBackbone b = new ImageBackbone();
    b.network.initialize(b.model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, INPUT, INPUT));
    return b;
  }

  /**
   * Loads a saved backbone.
   *
   * @throws MegaLoadException if the directory is missing, incomplete, corrupt or of another size
   */
  public static ImageBackbone load(Path dir) throws MegaLoadException {
    Manifest manifest;
    try {
      manifest = readManifest(dir);
    } catch (IOException e) {
      throw new MegaLoadException(
          "no usable image backbone at " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    if (manifest.input != INPUT || manifest.grid != GRID || manifest.channels != CHANNELS) {
      throw new MegaLoadException(
          "image backbone at "
              + dir
              + " is "
              + manifest.input
              + " px / "
              + manifest.grid
              + "² × "
              + manifest.channels
              + "; this build reads "
              + INPUT
              + " px / "
              + GRID
              + "² × "
              + CHANNELS,
          null);
    }
    ImageBackbone b = new ImageBackbone();
    Path params = dir.resolve(NAME + ".params");
    try {
      ModelFiles.loadParameters(b.network, b.model.getNDManager(), params);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      b.close();
      throw new MegaLoadException(
          "cannot load image backbone parameters from " + params + ": " + e.getMessage(), e);
    }
    return b;
  }

  /**
   * Reads the manifest of a saved backbone.
   *
   * @throws IOException if it is missing, unreadable or incomplete
   */
  public static Manifest readManifest(Path dir) throws IOException {
    return ModelFiles.readManifest(
        dir.resolve(NAME + ".json"), Manifest.class, m -> m.version != null);
  }

  /** Saves parameters and manifest into {@code dir} atomically (see {@link ModelFiles}). */
  public void save(Path dir, Manifest manifest) throws IOException {
    ModelFiles.save(dir, NAME + ".params", network, NAME + ".json", manifest);
  }

  /**
   * A crop as the network's input: {@code 3 × INPUT × INPUT} floats in [−1, 1], channel-major.
   *
   * @param crop an 8-bit 3-channel {@code INPUT × INPUT} image (BGR, as {@code PersonCrop} makes)
   * @throws IllegalArgumentException for any other image
   */
  public static float[] input(Mat crop) {
    if (crop.rows() != INPUT || crop.cols() != INPUT || crop.type() != opencv_core.CV_8UC3) {
      throw new IllegalArgumentException(
          "image backbone needs a continuous 8-bit BGR "
              + INPUT
              + "x"
              + INPUT
              + " crop, got "
              + crop.cols()
              + "x"
              + crop.rows()
              + " type "
              + crop.type());
    }
    return input(io.megastream.pose.Images.bytes(crop));
  }

  /**
   * The same from a crop's BGR bytes ({@code INPUT × INPUT × 3}, row-major, interleaved).
   *
   * @throws IllegalArgumentException if the length does not fit
   */
  public static float[] input(byte[] bgr) {
    int plane = INPUT * INPUT;
    if (bgr.length != plane * 3) {
      throw new IllegalArgumentException(
          "image backbone needs " + plane * 3 + " BGR bytes, got " + bgr.length);
    }
    float[] out = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      for (int c = 0; c < 3; c++) {
        out[c * plane + i] = (bgr[i * 3 + c] & 0xff) / 127.5f - 1f;
      }
    }
    return out;
  }

  /**
   * Conditioning features of crops, frozen (inference mode).
   *
   * @param inputs crops as {@link #input} makes them
   * @return per crop {@code TOKENS × CHANNELS} features, cell-major
   */
  public float[][] features(List<float[]> inputs) {
    int b = inputs.size();
    float[][] out = new float[b][];
    if (b == 0) {
      return out;
    }
    try (NDManager m = model.getNDManager().newSubManager()) {
      NDArray x = m.create(concat(inputs), new Shape(b, 3, INPUT, INPUT));
      NDArray g = network.grid(new ParameterStore(m, false), x, false);
      // (B, C, G, G) -> (B, G·G, C)
      float[] f = g.reshape(b, CHANNELS, TOKENS).transpose(0, 2, 1).toFloatArray();
      int per = TOKENS * CHANNELS;
      for (int i = 0; i < b; i++) {
        out[i] = new float[per];
        System.arraycopy(f, i * per, out[i], 0, per);
      }
    }
    return out;
  }

  /**
   * 2D joints the heatmap head regresses (inference mode).
   *
   * @return per crop 24 × 2 crop-centred coordinates (−0.5..0.5)
   */
  public float[][] joints(List<float[]> inputs) {
    int b = inputs.size();
    float[][] out = new float[b][];
    try (NDManager m = model.getNDManager().newSubManager()) {
      NDArray x = m.create(concat(inputs), new Shape(b, 3, INPUT, INPUT));
      float[] j =
          network
              .forward(new ParameterStore(m, false), new ai.djl.ndarray.NDList(x), false)
              .get(1)
              .toFloatArray();
      int per = Joint.COUNT * 2;
      for (int i = 0; i < b; i++) {
        out[i] = new float[per];
        System.arraycopy(j, i * per, out[i], 0, per);
      }
    }
    return out;
  }

  static float[] concat(List<float[]> inputs) {
    int per = 3 * INPUT * INPUT;
    float[] all = new float[inputs.size() * per];
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i).length != per) {
        throw new IllegalArgumentException("input " + i + " is not a " + INPUT + "² crop");
      }
      System.arraycopy(inputs.get(i), 0, all, i * per, per);
    }
    return all;
  }

  /** Trainable parameters. */
  public long parameterCount() {
    return ModelFiles.trainableParameters(network);
  }

  BackboneNetwork network() {
    return network;
  }

  Model djlModel() {
    return model;
  }

  @Override
  public void close() {
    model.close();
  }
}
