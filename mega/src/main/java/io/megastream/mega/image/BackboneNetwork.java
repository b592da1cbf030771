package io.megastream.mega.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * A small ResNet: a stride-2 stem and four residual stages turn a {@code 3 × S × S} crop into a
 * {@code C × S/16 × S/16} feature grid (the paper's W×H×C grid), plus a 1×1 heatmap head with
 * integral (soft-argmax) regression of the 24 joints, used only to pre-train the grid on the
 * renderer's 2D joints.
 *
 * <p>Forward input: crops (B, 3, S, S) float32 in [−1, 1]. Outputs: the grid (B, C, G, G) and the
 * joints (B, 24, 2), crop-centred coordinates (−0.5..0.5).
 */
final class BackboneNetwork extends AbstractBlock {

  private final int joints;
  private final int grid;
  private final SequentialBlock features;
  private final Conv2d heatmaps;

  BackboneNetwork(int channels, int joints, int grid) {
    this.joints = joints;
    this.grid = grid;
    features =
        new SequentialBlock()
            .add(conv(32, 3, 2))
            .add(BatchNorm.builder().build())
            .add(Activation::relu)
            .add(residual(48, 2))
            .add(residual(64, 2))
            .add(residual(channels, 2))
            .add(residual(channels, 1));
    addChildBlock("features", features);
    heatmaps =
        Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(joints).optBias(true).build();
    addChildBlock("heatmaps", heatmaps);
  }

  private static Conv2d conv(int filters, int kernel, int stride) {
    return Conv2d.builder()
        .setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(kernel / 2, kernel / 2))
        .setFilters(filters)
        .optBias(false)
        .build();
  }

  /** conv-BN-ReLU-conv-BN plus a projected shortcut, then ReLU. */
  private static Block residual(int filters, int stride) {
    SequentialBlock main =
        new SequentialBlock()
            .add(conv(filters, 3, stride))
            .add(BatchNorm.builder().build())
            .add(Activation::relu)
            .add(conv(filters, 3, 1))
            .add(BatchNorm.builder().build());
    SequentialBlock shortcut =
        new SequentialBlock().add(conv(filters, 1, stride)).add(BatchNorm.builder().build());
    return new SequentialBlock()
        .add(
            new ParallelBlock(
                list ->
                    new NDList(list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow())),
                List.of(main, shortcut)))
        .add(Activation::relu);
  }

  /** The feature grid alone (what MEGA is conditioned on). */
  NDArray grid(ParameterStore ps, NDArray crops, boolean training) {
    return features.forward(ps, new NDList(crops), training).singletonOrThrow();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray g = grid(ps, inputs.singletonOrThrow(), training);
    NDArray heat = heatmaps.forward(ps, new NDList(g), training).singletonOrThrow();
    long b = heat.getShape().get(0);
    NDArray p = heat.reshape(b, joints, (long) grid * grid).softmax(2);
    NDManager m = p.getManager();
    float[] centres = new float[grid];
    for (int i = 0; i < grid; i++) {
      centres[i] = (i + 0.5f) / grid - 0.5f;
    }
    // cell (row, col) at index row*G + col: x from the column, y from the row
    NDArray cx =
        m.create(centres).reshape(1, grid).repeat(0, grid).reshape(1, 1, (long) grid * grid);
    NDArray cy =
        m.create(centres).reshape(grid, 1).repeat(1, grid).reshape(1, 1, (long) grid * grid);
    NDArray x = p.mul(cx).sum(new int[] {2}, true);
    NDArray y = p.mul(cy).sum(new int[] {2}, true);
    return new NDList(g, x.concat(y, 2).toType(DataType.FLOAT32, false));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputs) {
    long b = inputs[0].get(0);
    Shape g = features.getOutputShapes(inputs)[0];
    return new Shape[] {g, new Shape(b, joints, 2)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    features.initialize(manager, dataType, inputShapes);
    heatmaps.initialize(manager, dataType, features.getOutputShapes(inputShapes));
  }
}
