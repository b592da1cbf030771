package io.megastream.mega.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head scaled dot-product self-attention with an optional key mask. Input: x (B, T, D) and,
 * optionally, keyMask (B, T) with 1 for keys that may be attended to and 0 for keys to ignore.
 * Output: (B, T, D).
 */
final class SelfAttention extends AbstractBlock {

  private final int dim;
  private final int heads;
  private final float dropout;
  private final Linear qkv;
  private final Linear out;

  SelfAttention(int dim, int heads, float dropout) {
    this.dim = dim;
    this.heads = heads;
    this.dropout = dropout;
    qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * dim).build());
    out = addChildBlock("out", Linear.builder().setUnits(dim).build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    int dh = dim / heads;
    // (B, T, 3, H, dh) -> (3, B, H, T, dh)
    NDArray proj =
        qkv.forward(store, new NDList(x), training)
            .singletonOrThrow()
            .reshape(b, t, 3, heads, dh)
            .transpose(2, 0, 3, 1, 4);
    NDArray q = proj.get(0);
    NDArray k = proj.get(1);
    NDArray v = proj.get(2);
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div((float) Math.sqrt(dh));
    if (inputs.size() > 1) {
      // keys masked out get -1e9 before the softmax: (B, T) -> (B, 1, 1, T)
      NDArray keep = inputs.get(1).toType(DataType.FLOAT32, false).reshape(b, 1, 1, t);
      scores = scores.add(keep.sub(1f).mul(1e9f));
    }
    NDArray attn = scores.softmax(-1);
    if (training && dropout > 0) {
      attn = ai.djl.nn.norm.Dropout.dropout(attn, dropout, true).singletonOrThrow();
    }
    NDArray y = attn.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, dim);
    return out.forward(store, new NDList(y), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(
      ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape x = inputShapes[0];
    qkv.initialize(manager, dataType, x);
    out.initialize(manager, dataType, x);
  }
}
