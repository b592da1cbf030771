package io.megastream.mega.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import io.megastream.mega.body.Joint;
import io.megastream.mega.optim.LearningRates;
import java.util.List;

/**
 * Pre-trains an {@link ImageBackbone} on 2D joints: L1 between the joints its heatmap head
 * regresses (soft-argmax over the grid) and the renderer's, on joints inside the crop. AdamW (β
 * 0.9/0.99, weight decay 0.05), warm-up then cosine, gradients clipped. Not thread-safe.
 */
public final class BackboneTrainer implements AutoCloseable {

  /**
   * One training crop.
   *
   * @param input the crop as {@link ImageBackbone#input} makes it
   * @param joints2d 24 × 2 joints, crop-centred (−0.5..0.5); joints outside the crop do not count
   */
  public record Example(float[] input, float[] joints2d) {}

  /** Loss (mean L1 per coordinate) and mean 2D joint error, both as fractions of the crop side. */
  public record StepStats(double loss, double jointError) {}

  /** Joints farther out than this (crop-centred) are not counted: the grid cannot reach them. */
  static final float REACH = 0.45f;

  private final ImageBackbone backbone;
  private final Trainer trainer;
  private int step;

  /**
   * @param totalSteps length of the learning-rate schedule
   * @param startStep steps already done (resuming continues the schedule)
   */
  public BackboneTrainer(
      ImageBackbone backbone, float learningRate, int totalSteps, int startStep) {
    this.backbone = backbone;
    this.step = startStep;
    Optimizer adamW = LearningRates.adamW(learningRate, totalSteps, startStep);
    trainer =
        backbone
            .djlModel()
            .newTrainer(new DefaultTrainingConfig(Loss.l1Loss()).optOptimizer(adamW));
    for (var p : backbone.network().getParameters().values()) {
      if (p.requiresGradient()) {
        p.getArray().setRequiresGradient(true);
      }
    }
  }

  public int step() {
    return step;
  }

  /** One optimisation step. */
  public StepStats step(List<Example> batch) {
    return run(batch, true);
  }

  /** The same measures without training. */
  public StepStats evaluate(List<Example> batch) {
    return run(batch, false);
  }

  private StepStats run(List<Example> batch, boolean train) {
    int b = batch.size();
    int j = Joint.COUNT;
    float[] target = new float[b * j * 2];
    float[] weight = new float[b * j * 2];
    for (int i = 0; i < b; i++) {
      float[] t = batch.get(i).joints2d();
      System.arraycopy(t, 0, target, i * j * 2, j * 2);
      for (int k = 0; k < j; k++) {
        boolean inside = Math.abs(t[k * 2]) < REACH && Math.abs(t[k * 2 + 1]) < REACH;
        weight[(i * j + k) * 2] = inside ? 1 : 0;
        weight[(i * j + k) * 2 + 1] = inside ? 1 : 0;
      }
    }
    try (NDManager m = trainer.getManager().newSubManager()) {
      NDArray x =
          m.create(
              ImageBackbone.concat(batch.stream().map(Example::input).toList()),
              new Shape(b, 3, ImageBackbone.INPUT, ImageBackbone.INPUT));
      NDArray t = m.create(target, new Shape(b, j, 2));
      NDArray w = m.create(weight, new Shape(b, j, 2));
      NDArray count = w.sum().maximum(1f);
      double loss;
      double error;
      try (GradientCollector gc = train ? trainer.newGradientCollector() : null) {
        NDList out = train ? trainer.forward(new NDList(x)) : trainer.evaluate(new NDList(x));
        NDArray diff = out.get(1).sub(t);
        NDArray l = diff.abs().mul(w).sum().div(count);
        loss = l.getFloat();
        // per-joint Euclidean error over counted joints
        NDArray w1 = w.get(":, :, 0");
        error =
            diff.square()
                .sum(new int[] {2})
                .sqrt()
                .mul(w1)
                .sum()
                .div(w1.sum().maximum(1f))
                .getFloat();
        if (train && Double.isFinite(loss)) {
          gc.backward(l);
        }
      }
      if (train) {
        if (Double.isFinite(loss)) {
          trainer.step();
        }
        step++;
      }
      return new StepStats(loss, error);
    }
  }

  @Override
  public void close() {
    trainer.close();
  }
}
