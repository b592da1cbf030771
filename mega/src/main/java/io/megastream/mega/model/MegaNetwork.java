package io.megastream.mega.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The MEGA transformer. The encoder sees only the visible (unmasked) token slots; the decoder sees
 * [conditioning embeddings ; cls ; 54 slots], where a slot is the encoder's output if visible and
 * the learned mask embedding if masked, and predicts 512 logits per slot. Plain self-attention (no
 * cross-attention), pre-LayerNorm blocks. A separate MLP head on the decoder's cls output and
 * pooled conditioning outputs predicts a 6D global rotation and a 3-value camera.
 *
 * <p>Forward inputs: tokens (B, N) int64 (any value at masked slots), visible (B, N) float32 (1 =
 * visible), and, when the config has conditioning, features (B, C, F) float32. Outputs: logits (B,
 * N, S) and rotation+camera (B, 9). When no slot of the batch is visible the encoder is skipped
 * (deterministic mode), which is exact: masked slots never read the encoder.
 */
public final class MegaNetwork extends AbstractBlock {

  /** Outputs of the rotation/camera head: 6D rotation, then (scale, tx, ty). */
  public static final int ROT_CAM = 9;

  private final MegaConfig config;
  private final Parameter tokenEmbedding;
  private final Parameter encoderPosition;
  private final Parameter decoderPosition;
  private final Parameter conditionPosition;
  private final Parameter maskEmbedding;
  private final Parameter cls;
  private final Linear conditionProjection;
  private final List<PreNormBlock> encoder = new ArrayList<>();
  private final LayerNorm encoderNorm;
  private final Linear encoderToDecoder;
  private final List<PreNormBlock> decoder = new ArrayList<>();
  private final LayerNorm decoderNorm;
  private final Linear head1;
  private final Linear head2;
  private final Linear rot1;
  private final Linear rot2;
  private final Linear rot3;

  public MegaNetwork(MegaConfig config) {
    this.config = config;
    int d = config.dim();
    tokenEmbedding = weight("tokenEmbedding", new Shape(config.codebookSize() + 1, d));
    encoderPosition = weight("encoderPosition", new Shape(config.tokens(), d));
    decoderPosition = weight("decoderPosition", new Shape(config.tokens(), d));
    conditionPosition =
        weight("conditionPosition", new Shape(Math.max(1, config.conditionTokens()), d));
    maskEmbedding = weight("maskEmbedding", new Shape(d));
    cls = weight("cls", new Shape(d));
    conditionProjection = addChildBlock("conditionProjection", linear(d));
    for (int i = 0; i < config.encoderBlocks(); i++) {
      encoder.add(
          addChildBlock("encoder" + i, new PreNormBlock(d, config.heads(), config.dropout())));
    }
    encoderNorm = addChildBlock("encoderNorm", LayerNorm.builder().axis(2).build());
    encoderToDecoder = addChildBlock("encoderToDecoder", linear(d));
    for (int i = 0; i < config.decoderBlocks(); i++) {
      decoder.add(
          addChildBlock("decoder" + i, new PreNormBlock(d, config.heads(), config.dropout())));
    }
    decoderNorm = addChildBlock("decoderNorm", LayerNorm.builder().axis(2).build());
    head1 = addChildBlock("head1", linear(d));
    head2 = addChildBlock("head2", linear(config.codebookSize()));
    rot1 = addChildBlock("rot1", linear(d));
    rot2 = addChildBlock("rot2", linear(d));
    rot3 = addChildBlock("rot3", linear(ROT_CAM));
  }

  private Parameter weight(String name, Shape shape) {
    return addParameter(
        Parameter.builder()
            .setName(name)
            .setType(Parameter.Type.WEIGHT)
            .optShape(shape)
            .optInitializer(new NormalInitializer(0.02f))
            .build());
  }

  private static Linear linear(long units) {
    return Linear.builder().setUnits(units).build();
  }

  public MegaConfig config() {
    return config;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray tokens = inputs.get(0);
    NDArray visible = inputs.get(1).toType(DataType.FLOAT32, false);
    NDArray features = config.conditionTokens() > 0 ? inputs.get(2) : null;
    NDManager m = tokens.getManager();
    long b = tokens.getShape().get(0);
    int n = config.tokens();
    int c = config.conditionTokens();
    NDArray visible3 = visible.reshape(b, n, 1);

    NDArray slots =
        m.ones(new Shape(b, n, 1)).sub(visible3).mul(value(store, training, maskEmbedding, m));
    if (visible.sum().getFloat() > 0) {
      NDArray x =
          tokens
              .clip(0, config.codebookSize())
              .toType(DataType.INT64, false)
              .oneHot(config.codebookSize() + 1)
              .toType(DataType.FLOAT32, false)
              .matMul(value(store, training, tokenEmbedding, m))
              .add(value(store, training, encoderPosition, m));
      for (PreNormBlock block : encoder) {
        x = block.forward(store, new NDList(x, visible), training).singletonOrThrow();
      }
      x = encoderNorm.forward(store, new NDList(x), training).singletonOrThrow();
      x = encoderToDecoder.forward(store, new NDList(x), training).singletonOrThrow();
      slots = slots.add(x.mul(visible3));
    }
    slots = slots.add(value(store, training, decoderPosition, m));
    NDArray clsToken = m.ones(new Shape(b, 1, 1)).mul(value(store, training, cls, m));
    NDList sequence = new NDList();
    if (c > 0) {
      NDArray cond =
          conditionProjection
              .forward(store, new NDList(features), training)
              .singletonOrThrow()
              .add(value(store, training, conditionPosition, m));
      sequence.add(cond);
    }
    sequence.add(clsToken);
    sequence.add(slots);
    NDArray h = NDArrays.concat(sequence, 1);
    for (PreNormBlock block : decoder) {
      h = block.forward(store, new NDList(h), training).singletonOrThrow();
    }
    h = decoderNorm.forward(store, new NDList(h), training).singletonOrThrow();

    NDArray slotOut = h.get(new NDIndex(":, " + (c + 1) + ":, :"));
    NDArray logits =
        head2
            .forward(
                store,
                new NDList(
                    Activation.gelu(
                        head1.forward(store, new NDList(slotOut), training).singletonOrThrow())),
                training)
            .singletonOrThrow();

    NDArray clsOut = h.get(new NDIndex(":, " + c + ", :"));
    NDArray pooled = c > 0 ? h.get(new NDIndex(":, :" + c + ", :")).mean(new int[] {1}) : clsOut;
    NDArray r = clsOut.concat(pooled, 1);
    r = Activation.relu(rot1.forward(store, new NDList(r), training).singletonOrThrow());
    r = Activation.relu(rot2.forward(store, new NDList(r), training).singletonOrThrow());
    r = rot3.forward(store, new NDList(r), training).singletonOrThrow();
    return new NDList(logits, r);
  }

  /**
   * A parameter's value for this forward pass. Operands are ordered batch-first elsewhere so that
   * results live in the batch's manager, not the model's (which would keep them forever).
   */
  private static NDArray value(ParameterStore store, boolean training, Parameter p, NDManager m) {
    return store.getValue(p, m.getDevice(), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long b = inputShapes[0].get(0);
    return new Shape[] {
      new Shape(b, config.tokens(), config.codebookSize()), new Shape(b, ROT_CAM)
    };
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long b = inputShapes[0].get(0);
    int d = config.dim();
    Shape tokens = new Shape(b, config.tokens(), d);
    Shape all = new Shape(b, config.tokens() + 1 + config.conditionTokens(), d);
    conditionProjection.initialize(
        manager,
        dataType,
        new Shape(b, Math.max(1, config.conditionTokens()), config.conditionFeatures()));
    for (PreNormBlock block : encoder) {
      block.initialize(manager, dataType, tokens, new Shape(b, config.tokens()));
    }
    encoderNorm.initialize(manager, dataType, tokens);
    encoderToDecoder.initialize(manager, dataType, tokens);
    for (PreNormBlock block : decoder) {
      block.initialize(manager, dataType, all);
    }
    decoderNorm.initialize(manager, dataType, all);
    head1.initialize(manager, dataType, tokens);
    head2.initialize(manager, dataType, tokens);
    rot1.initialize(manager, dataType, new Shape(b, 2L * d));
    rot2.initialize(manager, dataType, new Shape(b, d));
    rot3.initialize(manager, dataType, new Shape(b, d));
  }
}
