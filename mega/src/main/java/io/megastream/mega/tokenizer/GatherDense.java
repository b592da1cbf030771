package io.megastream.mega.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A mesh convolution in the spirit of SpiralNet++: for each output node, the features of its k
 * neighbour nodes (in a fixed order, nearest first) are concatenated and mixed by one dense layer
 * shared by all nodes. With neighbours on the same level it is a convolution; with neighbours on a
 * finer or coarser level it pools or unpools. Input (B, N_in, C_in), output (B, N_out, C_out).
 */
final class GatherDense extends AbstractBlock {

  private final long[] index;
  private final int outNodes;
  private final int k;
  private final boolean activate;
  private final boolean residual;
  private final Linear linear;

  /**
   * @param index output nodes x k indices into the input nodes, flattened
   * @param k neighbours per output node
   * @param units output channels
   * @param activate apply ELU
   * @param residual add the input (same node set and channel count required)
   */
  GatherDense(int[] index, int k, int units, boolean activate, boolean residual) {
    this.index = new long[index.length];
    for (int i = 0; i < index.length; i++) {
      this.index[i] = index[i];
    }
    this.k = k;
    this.outNodes = index.length / k;
    this.activate = activate;
    this.residual = residual;
    this.linear = addChildBlock("linear", Linear.builder().setUnits(units).build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    long batch = x.getShape().get(0);
    long channels = x.getShape().get(2);
    NDArray idx = x.getManager().create(index);
    NDArray gathered = x.get(new NDIndex(":, {}", idx)).reshape(batch, outNodes, k * channels);
    NDArray y = linear.forward(store, new NDList(gathered), training).singletonOrThrow();
    if (activate) {
      y = Activation.elu(y, 1f);
    }
    if (residual) {
      y = y.add(x);
    }
    return new NDList(y);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    Shape mixed = new Shape(in.get(0), outNodes, k * in.get(2));
    return new Shape[] {linear.getOutputShapes(new Shape[] {mixed})[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    linear.initialize(manager, dataType, new Shape(in.get(0), outNodes, k * in.get(2)));
  }
}
