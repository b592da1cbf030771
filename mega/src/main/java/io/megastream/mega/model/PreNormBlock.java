package io.megastream.mega.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Pre-LayerNorm transformer block: x + Attn(LN(x)), then x + MLP(LN(x)) with a 4× GELU MLP. Inputs:
 * x (B, T, D) and an optional key mask (B, T), passed on to the attention.
 */
final class PreNormBlock extends AbstractBlock {

  private final float dropout;
  private final LayerNorm norm1;
  private final SelfAttention attention;
  private final LayerNorm norm2;
  private final Linear up;
  private final Linear down;

  PreNormBlock(int dim, int heads, float dropout) {
    this.dropout = dropout;
    norm1 = addChildBlock("norm1", LayerNorm.builder().axis(2).build());
    attention = addChildBlock("attention", new SelfAttention(dim, heads, dropout));
    norm2 = addChildBlock("norm2", LayerNorm.builder().axis(2).build());
    up = addChildBlock("up", Linear.builder().setUnits(4L * dim).build());
    down = addChildBlock("down", Linear.builder().setUnits(dim).build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDList attnIn = new NDList(norm1.forward(store, new NDList(x), training).singletonOrThrow());
    if (inputs.size() > 1) {
      attnIn.add(inputs.get(1));
    }
    x = x.add(drop(attention.forward(store, attnIn, training).singletonOrThrow(), training));
    NDArray h = norm2.forward(store, new NDList(x), training).singletonOrThrow();
    h = Activation.gelu(up.forward(store, new NDList(h), training).singletonOrThrow());
    h = down.forward(store, new NDList(h), training).singletonOrThrow();
    return new NDList(x.add(drop(h, training)));
  }

  private NDArray drop(NDArray a, boolean training) {
    return training && dropout > 0 ? Dropout.dropout(a, dropout, true).singletonOrThrow() : a;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(
      ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape x = inputShapes[0];
    Shape hidden = new Shape(x.get(0), x.get(1), x.get(2) * 4);
    norm1.initialize(manager, dataType, x);
    attention.initialize(manager, dataType, x);
    norm2.initialize(manager, dataType, x);
    up.initialize(manager, dataType, x);
    down.initialize(manager, dataType, hidden);
  }
}
