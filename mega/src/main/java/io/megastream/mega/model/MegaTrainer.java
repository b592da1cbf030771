package io.megastream.mega.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import io.megastream.mega.body.Joint;
import io.megastream.mega.optim.LearningRates;
import java.util.List;
import java.util.Random;

/**
 * Trains a {@link MegaModel}, both stages: masked-token cross-entropy on the masked slots only
 * (visible count per sample floor(N·cos(π·τ/2)), τ ~ U[0, 1)), and, with conditioning, the
 * rotation/camera head (squared error on the rotation matrix from the 6D output, L1 on the 2D
 * joints reprojected with the predicted rotation and weak-perspective camera). AdamW (β 0.9/0.99,
 * weight decay 0.05), warm-up then cosine schedule. Not thread-safe.
 */
public final class MegaTrainer implements AutoCloseable {

  /**
   * One training sample.
   *
   * @param tokens N target tokens of the canonical mesh
   * @param condition C·F conditioning features, or null without conditioning
   * @param rotation 3×3 global rotation (row-major), body frame to camera frame; null if unknown
   * @param joints3d 24×3 canonical joints, metres; null if unknown
   * @param joints2d 24×2 joints in the crop, centred (−0.5..0.5 across the crop); null if unknown
   */
  public record Example(
      int[] tokens, float[] condition, float[] rotation, float[] joints3d, float[] joints2d) {}

  /**
   * Loop options.
   *
   * @param batchSize samples per step
   * @param totalSteps length of the learning-rate schedule
   * @param learningRate peak learning rate
   * @param startStep steps done before (resuming continues the schedule)
   * @param fullMaskShare share of samples with every slot masked (the deterministic mode's input)
   *     on top of the schedule's own; 0 keeps the paper's distribution
   * @param headWeight weight of the rotation and reprojection losses
   * @param seed masking seed
   */
  public record Options(
      int batchSize,
      int totalSteps,
      float learningRate,
      int startStep,
      double fullMaskShare,
      float headWeight,
      long seed) {

    public Options {
      if (batchSize < 1 || totalSteps < 1 || learningRate <= 0 || startStep < 0) {
        throw new IllegalArgumentException("invalid training options");
      }
      if (fullMaskShare < 0 || fullMaskShare > 1 || headWeight < 0) {
        throw new IllegalArgumentException("fullMaskShare must be in [0, 1], headWeight >= 0");
      }
    }
  }

  /** Losses of one step. */
  public record StepStats(double tokenLoss, double maskedAccuracy, double headLoss) {}

  private final MegaModel model;
  private final Options options;
  private final Trainer trainer;
  private final Random random;
  private int step;
  private int skipped;

  public MegaTrainer(MegaModel model, Options options) {
    this.model = model;
    this.options = options;
    this.random = new Random(options.seed() ^ options.startStep());
    this.step = options.startStep();
    Optimizer adamW =
        LearningRates.adamW(options.learningRate(), options.totalSteps(), options.startStep());
    trainer =
        model.djlModel().newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adamW));
    // parameters were initialised (or loaded) by MegaModel: attach gradients to train them
    for (var p : model.network().getParameters().values()) {
      if (p.requiresGradient()) {
        p.getArray().setRequiresGradient(true);
      }
    }
  }

  /** Steps done so far, including before a resume. */
  public int step() {
    return step;
  }

  /** One optimisation step on a batch. */
  public StepStats step(List<Example> batch) {
    return run(batch, true);
  }

  /** The same losses on a batch without training (held-out evaluation). */
  public StepStats evaluate(List<Example> batch) {
    return run(batch, false);
  }

  private StepStats run(List<Example> batch, boolean train) {
    MegaConfig cfg = model.config();
    int b = batch.size();
    int n = cfg.tokens();
    int[][] tokens = new int[b][];
    boolean[][] visible = new boolean[b][n];
    float[][] conditions = cfg.conditionTokens() > 0 ? new float[b][] : null;
    for (int i = 0; i < b; i++) {
      Example e = batch.get(i);
      tokens[i] = e.tokens();
      if (conditions != null) {
        conditions[i] = e.condition();
      }
      int shown =
          random.nextDouble() < options.fullMaskShare()
              ? 0
              : Schedules.visibleForTraining(n, random.nextDouble());
      for (int j : randomSubset(n, shown)) {
        visible[i][j] = true;
      }
    }
    boolean head =
        conditions != null && options.headWeight() > 0 && batch.get(0).rotation() != null;
    try (NDManager m = trainer.getManager().newSubManager()) {
      double[][] frames = model.frames(conditions);
      NDList in = model.inputs(m, tokens, visible, conditions, frames);
      long[] target = new long[b * n];
      for (int i = 0; i < b; i++) {
        for (int j = 0; j < n; j++) {
          target[i * n + j] = tokens[i][j];
        }
      }
      NDArray targets = m.create(target, new Shape(b, n));
      NDArray masked = in.get(1).mul(-1).add(1); // (B, N): 1 where the loss counts
      double tokenLoss;
      double accuracy;
      double headLoss = 0;
      try (GradientCollector gc = train ? trainer.newGradientCollector() : null) {
        NDList out = train ? trainer.forward(in) : trainer.evaluate(in);
        NDArray logits = out.get(0);
        NDArray nll =
            logits
                .logSoftmax(2)
                .mul(targets.oneHot(cfg.codebookSize()).toType(DataType.FLOAT32, false))
                .sum(new int[] {2})
                .neg();
        NDArray count = masked.sum().maximum(1f);
        NDArray loss = nll.mul(masked).sum().div(count);
        tokenLoss = loss.getFloat();
        accuracy =
            logits
                .argMax(2)
                .eq(targets)
                .toType(DataType.FLOAT32, false)
                .mul(masked)
                .sum()
                .div(count)
                .getFloat();
        if (head) {
          NDArray hl = headLoss(m, out.get(1), batch, frames);
          headLoss = hl.getFloat();
          loss = loss.add(hl.mul(options.headWeight()));
        }
        if (train && Double.isFinite(tokenLoss) && Double.isFinite(headLoss)) {
          gc.backward(loss);
        }
      }
      if (train) {
        if (Double.isFinite(tokenLoss) && Double.isFinite(headLoss) && gradientsFinite()) {
          trainer.step();
        } else {
          skipped++; // a bad batch must not poison the weights: drop its gradients
          zeroGradients();
        }
        step++;
      }
      return new StepStats(tokenLoss, accuracy, headLoss);
    }
  }

  /** Steps whose loss or gradients were not finite and were therefore not applied. */
  public int skippedSteps() {
    return skipped;
  }

  private boolean gradientsFinite() {
    // results of operations on a gradient belong to the model's manager: collect them in a
    // temporary one, or every step would leak a copy of every gradient
    try (NDManager tmp = trainer.getManager().newSubManager()) {
      for (var p : model.network().getParameters().values()) {
        NDArray a = p.getArray();
        if (p.requiresGradient() && a.hasGradient()) {
          NDArray g = a.getGradient(); // a new handle on the gradient, owned by tmp from here
          g.attach(tmp);
          NDArray abs = g.abs();
          if (!Float.isFinite(abs.max().getFloat())) {
            return false;
          }
        }
      }
      return true;
    }
  }

  private void zeroGradients() {
    try (NDManager tmp = trainer.getManager().newSubManager()) {
      for (var p : model.network().getParameters().values()) {
        NDArray a = p.getArray();
        if (p.requiresGradient() && a.hasGradient()) {
          NDArray g = a.getGradient();
          g.attach(tmp);
          g.set(new NDIndex("..."), 0f);
        }
      }
    }
  }

  /** Squared error of the rotation matrix plus L1 of the reprojected 2D joints. */
  private NDArray headLoss(NDManager m, NDArray rotCam, List<Example> batch, double[][] frames) {
    int b = batch.size();
    int j = Joint.COUNT;
    float[] rot = new float[b * 9];
    float[] j3 = new float[b * j * 3];
    float[] j2 = new float[b * j * 2];
    for (int i = 0; i < b; i++) {
      Example e = batch.get(i);
      System.arraycopy(e.rotation(), 0, rot, i * 9, 9);
      System.arraycopy(e.joints3d(), 0, j3, i * j * 3, j * 3);
      System.arraycopy(e.joints2d(), 0, j2, i * j * 2, j * 2);
    }
    NDArray r = rotationFrom6d(rotCam.get(new NDIndex(":, 0:6")));
    if (frames != null) {
      // the network predicts the rotation within the torso's closed-form frame: R = F · R_frame
      float[] f = new float[b * 9];
      for (int i = 0; i < b; i++) {
        for (int e = 0; e < 9; e++) {
          f[i * 9 + e] = (float) frames[i][e];
        }
      }
      r = m.create(f, new Shape(b, 3, 3)).matMul(r);
    }
    NDArray rotLoss = r.sub(m.create(rot, new Shape(b, 3, 3))).square().mean();
    NDArray cam = rotCam.get(new NDIndex(":, 6:9"));
    // camera-frame joints: (B, J, 3) = J · Rᵀ
    NDArray posed = m.create(j3, new Shape(b, j, 3)).matMul(r.transpose(0, 2, 1));
    NDArray projected =
        posed
            .get(new NDIndex(":, :, 0:2"))
            .mul(cam.get(new NDIndex(":, 0:1")).reshape(b, 1, 1))
            .add(cam.get(new NDIndex(":, 1:3")).reshape(b, 1, 2));
    NDArray reprojection = projected.sub(m.create(j2, new Shape(b, j, 2))).abs().mean();
    return rotLoss.add(reprojection);
  }

  /**
   * Gram–Schmidt from a 6D representation (two 3-vectors) to rotation matrices (B, 3, 3) whose
   * columns are the orthonormalised vectors and their cross product (Zhou et al. 2019).
   */
  public static NDArray rotationFrom6d(NDArray r6) {
    NDArray a1 = r6.get(new NDIndex(":, 0:3"));
    NDArray a2 = r6.get(new NDIndex(":, 3:6"));
    // x / sqrt(|x|² + ε): unlike x / max(|x|, ε), its gradient is finite everywhere
    NDArray b1 = a1.div(a1.square().sum(new int[] {1}, true).add(1e-6f).sqrt());
    NDArray b2 = a2.sub(b1.mul(b1.mul(a2).sum(new int[] {1}, true)));
    b2 = b2.div(b2.square().sum(new int[] {1}, true).add(1e-6f).sqrt());
    NDArray b3 = cross(b1, b2);
    return b1.expandDims(2).concat(b2.expandDims(2), 2).concat(b3.expandDims(2), 2);
  }

  private static NDArray cross(NDArray a, NDArray b) {
    NDArray ax = a.get(new NDIndex(":, 0:1"));
    NDArray ay = a.get(new NDIndex(":, 1:2"));
    NDArray az = a.get(new NDIndex(":, 2:3"));
    NDArray bx = b.get(new NDIndex(":, 0:1"));
    NDArray by = b.get(new NDIndex(":, 1:2"));
    NDArray bz = b.get(new NDIndex(":, 2:3"));
    return ay.mul(bz)
        .sub(az.mul(by))
        .concat(az.mul(bx).sub(ax.mul(bz)), 1)
        .concat(ax.mul(by).sub(ay.mul(bx)), 1);
  }

  private int[] randomSubset(int n, int k) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    for (int i = 0; i < k; i++) {
      int swap = i + random.nextInt(n - i);
      int t = all[i];
      all[i] = all[swap];
      all[swap] = t;
    }
    return java.util.Arrays.copyOf(all, k);
  }

  @Override
  public void close() {
    trainer.close();
  }

  static {
    Engine.getInstance(); // fail early, with DJL's own message, if the engine cannot load
  }
}
