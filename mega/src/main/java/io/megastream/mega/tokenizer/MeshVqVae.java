package io.megastream.mega.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * The Mesh-VQ-VAE network: a fully convolutional mesh encoder down a {@link MeshHierarchy} to one
 * latent vector per token region, vector quantization against a codebook kept by exponential moving
 * averages (not by gradients), and the mirrored decoder back to every vertex.
 *
 * <p>Forward input: (B, V, 3) offsets of canonical vertices from the template, divided by {@code
 * scale}. Output: reconstruction (B, V, 3) in the same units, the encoder's latents (B, N, D) and
 * the token indices (B, N) as int64. Quantization uses the straight-through estimator.
 */
public final class MeshVqVae extends AbstractBlock {

  private final TokenizerConfig config;
  private final SequentialBlock encoder = new SequentialBlock();
  private final SequentialBlock decoder = new SequentialBlock();
  private final Parameter codebook;
  private final Parameter emaCount;
  private final Parameter emaSum;

  public MeshVqVae(TokenizerConfig config, MeshHierarchy h) {
    this.config = config;
    int[] ch = config.channels();
    int last = h.levels() - 1;
    encoder.add(new GatherDense(h.conv(0), h.kConv(), ch[0], true, false));
    for (int l = 1; l <= last; l++) {
      encoder.add(new GatherDense(h.pool(l), h.kPool(), ch[l], true, false));
      encoder.add(new GatherDense(h.conv(l), h.kConv(), ch[l], true, true));
    }
    encoder.add(Linear.builder().setUnits(config.latentDim()).build());
    addChildBlock("encoder", encoder);

    decoder.add(Linear.builder().setUnits(ch[last]).build());
    decoder.add(new GatherDense(h.conv(last), h.kConv(), ch[last], true, false));
    for (int l = last - 1; l >= 0; l--) {
      decoder.add(new GatherDense(h.unpool(l), h.kUnpool(), ch[l], true, false));
      decoder.add(new GatherDense(h.conv(l), h.kConv(), ch[l], true, true));
    }
    decoder.add(Linear.builder().setUnits(3).build());
    addChildBlock("decoder", decoder);

    codebook =
        addParameter(
            Parameter.builder()
                .setName("codebook")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.codebookSize(), config.latentDim()))
                .optInitializer(new NormalInitializer(1f))
                .optRequiresGrad(false)
                .build());
    emaCount =
        addParameter(
            Parameter.builder()
                .setName("emaCount")
                .setType(Parameter.Type.RUNNING_MEAN)
                .optShape(new Shape(config.codebookSize()))
                .optInitializer(new ai.djl.training.initializer.ConstantInitializer(1f))
                .optRequiresGrad(false)
                .build());
    emaSum =
        addParameter(
            Parameter.builder()
                .setName("emaSum")
                .setType(Parameter.Type.RUNNING_MEAN)
                .optShape(new Shape(config.codebookSize(), config.latentDim()))
                .optInitializer(new ai.djl.training.initializer.ConstantInitializer(0f))
                .optRequiresGrad(false)
                .build());
  }

  public TokenizerConfig config() {
    return config;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray z = encode(store, inputs.singletonOrThrow(), training);
    NDArray book = local(store.getValue(codebook, z.getDevice(), training), z.getManager());
    NDArray indices = nearestCodes(z, book);
    NDArray q = lookup(book, indices);
    NDArray straightThrough = z.add(q.sub(z).stopGradient());
    NDArray recon = decode(store, straightThrough, training);
    return new NDList(recon, z, indices);
  }

  /** Encoder only: (B, V, 3) -> latents (B, N, D). */
  NDArray encode(ParameterStore store, NDArray x, boolean training) {
    return encoder.forward(store, new NDList(x), training).singletonOrThrow();
  }

  /** Decoder only: quantized latents (B, N, D) -> (B, V, 3). */
  NDArray decode(ParameterStore store, NDArray q, boolean training) {
    return decoder.forward(store, new NDList(q), training).singletonOrThrow();
  }

  /**
   * A copy of a (small, non-trainable) parameter in the caller's manager. DJL attaches the result
   * of an operation to its first operand's manager: operating on the parameter itself would park
   * every result (and, through it, the batch's autograd graph) in the model's manager for good.
   */
  static NDArray local(NDArray parameter, NDManager manager) {
    return manager.create(parameter.toFloatArray(), parameter.getShape());
  }

  /** Index of the nearest codebook vector for every latent: (B, N) int64. */
  static NDArray nearestCodes(NDArray z, NDArray book) {
    // ||z - e||^2 = ||z||^2 - 2 z.e + ||e||^2; ||z||^2 does not change the argmin
    NDArray dots = z.matMul(book.transpose()); // (B, N, S)
    NDArray norms = book.square().sum(new int[] {1}); // (S)
    return norms.sub(dots.mul(2)).argMin(2);
  }

  /** Codebook rows for indices of any shape: (..., D). */
  static NDArray lookup(NDArray book, NDArray indices) {
    Shape s = indices.getShape();
    NDArray flat = book.get(new NDIndex("{}, :", indices.flatten()));
    long[] dims = new long[s.dimension() + 1];
    for (int i = 0; i < s.dimension(); i++) {
      dims[i] = s.get(i);
    }
    dims[s.dimension()] = book.getShape().get(1);
    return flat.reshape(new Shape(dims));
  }

  Parameter codebook() {
    return codebook;
  }

  Parameter emaCount() {
    return emaCount;
  }

  Parameter emaSum() {
    return emaSum;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {
      in,
      new Shape(in.get(0), config.tokens(), config.latentDim()),
      new Shape(in.get(0), config.tokens())
    };
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    encoder.initialize(manager, dataType, in);
    decoder.initialize(
        manager, dataType, new Shape(in.get(0), config.tokens(), config.latentDim()));
  }

  @Override
  public void prepare(Shape[] inputShapes) {
    // parameter shapes are fixed at construction
  }
}
