package io.megastream.mega.tokenizer;

import ai.djl.Model;
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
import io.megastream.mega.body.BodyParams;
import io.megastream.mega.optim.LearningRates;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link MeshVqVae}: L1 reconstruction of the canonical mesh plus the commitment loss on
 * the encoder's latents; the codebook follows the latents by exponential moving averages (decay
 * {@code emaDecay}, Laplace-smoothed counts), starts from encoder outputs, and restarts dead codes
 * from random current latents. AdamW (beta 0.9/0.99, weight decay 0.05 on weights) with a linear
 * warm-up and a cosine schedule. Not thread-safe.
 */
public final class TokenizerTrainer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TokenizerTrainer.class);

  private final TokenizerModel model;
  private final MeshBatches data;
  private final Trainer trainer;
  private final int batchSize;
  private final Random random;
  private int step;

  /** Step at which each code was last chosen (a resumed run starts every code fresh). */
  private final int[] lastUsed;

  private boolean codebookInitialised;

  /**
   * @param model the tokenizer (fresh or loaded from a checkpoint)
   * @param batchSize meshes per step
   * @param totalSteps length of the cosine schedule
   * @param baseLr peak learning rate
   * @param startStep steps already done (resuming), to continue the schedule
   * @param seed seed for batch sampling and code restarts
   */
  public TokenizerTrainer(
      TokenizerModel model, int batchSize, int totalSteps, float baseLr, int startStep, long seed) {
    this.model = model;
    this.data = model.batches();
    this.batchSize = batchSize;
    this.random = new Random(seed);
    this.step = startStep;
    this.codebookInitialised = startStep > 0;
    this.lastUsed = new int[model.config().codebookSize()];
    java.util.Arrays.fill(lastUsed, startStep);
    Optimizer adamW = LearningRates.adamW(baseLr, totalSteps, startStep);
    DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l1Loss()).optOptimizer(adamW);
    Model djl = model.djlModel();
    this.trainer = djl.newTrainer(config);
    if (!model.isLoaded()) {
      trainer.initialize(new Shape(batchSize, data.vertexCount(), 3));
      model.markInitialised();
    } else {
      // loaded parameters come without autograd attached: resume training on them
      for (var p : model.network().getParameters().values()) {
        if (p.requiresGradient()) {
          p.getArray().setRequiresGradient(true);
        }
      }
    }
  }

  /** Steps done so far (including before a resume). */
  public int step() {
    return step;
  }

  /**
   * Runs {@code steps} optimisation steps on random batches of {@code train}.
   *
   * @param onStep called after each step with the step number (for progress and checkpoints)
   * @return the mean training PVE over the last 50 steps, millimetres
   */
  public double train(List<BodyParams> train, int steps, IntConsumer onStep) {
    MeshVqVae net = model.network();
    TokenizerConfig cfg = net.config();
    double recent = 0;
    int counted = 0;
    for (int s = 0; s < steps; s++) {
      List<BodyParams> batch = new ArrayList<>(batchSize);
      for (int b = 0; b < batchSize; b++) {
        batch.add(train.get(random.nextInt(train.size())));
      }
      float[] x = data.offsets(batch);
      try (NDManager m = trainer.getManager().newSubManager()) {
        NDArray input = m.create(x, new Shape(batchSize, data.vertexCount(), 3));
        if (!codebookInitialised) {
          initialiseCodebook(input);
          codebookInitialised = true;
        }
        NDArray z;
        NDArray indices;
        double pve;
        try (GradientCollector gc = trainer.newGradientCollector()) {
          NDList out = trainer.forward(new NDList(input));
          NDArray recon = out.get(0);
          z = out.get(1);
          indices = out.get(2);
          NDArray q =
              MeshVqVae.lookup(MeshVqVae.local(net.codebook().getArray(), m), indices)
                  .stopGradient();
          NDArray rec = recon.sub(input).abs().mean();
          NDArray commit = z.sub(q).square().mean();
          NDArray loss = rec.add(commit.mul(cfg.commitment()));
          gc.backward(loss);
          pve = perVertexError(recon.stopGradient(), input) * cfg.scale() * 1000;
        }
        trainer.step();
        for (int used : indices.toType(DataType.INT32, false).toIntArray()) {
          lastUsed[used] = step;
        }
        emaUpdate(z.stopGradient(), indices, cfg);
        step++;
        if (cfg.deadAfter() > 0 && step % 10 == 0) {
          restartDeadCodes(z.stopGradient(), cfg);
        }
        if (s >= steps - 50) {
          recent += pve;
          counted++;
        }
      }
      onStep.accept(step);
    }
    return counted == 0 ? Double.NaN : recent / counted;
  }

  /** Mean Euclidean distance per vertex between two (B, V, 3) arrays, in their units. */
  static double perVertexError(NDArray a, NDArray b) {
    return a.sub(b).square().sum(new int[] {2}).sqrt().mean().getFloat();
  }

  private void initialiseCodebook(NDArray input) {
    MeshVqVae net = model.network();
    TokenizerConfig cfg = net.config();
    NDArray z =
        net.encode(new ai.djl.training.ParameterStore(input.getManager(), false), input, false)
            .reshape(-1, cfg.latentDim());
    long n = z.getShape().get(0);
    long[] pick = new long[cfg.codebookSize()];
    for (int i = 0; i < pick.length; i++) {
      pick[i] = random.nextInt((int) n);
    }
    NDArray init =
        z.get(new NDIndex("{}, :", input.getManager().create(pick)))
            .add(
                input
                    .getManager()
                    .randomNormal(
                        0, 0.01f, new Shape(pick.length, cfg.latentDim()), DataType.FLOAT32));
    net.codebook().getArray().set(init.toFloatArray());
    net.emaSum().getArray().set(init.toFloatArray());
    net.emaCount().getArray().set(new NDIndex(":"), 1f);
  }

  private void emaUpdate(NDArray z, NDArray indices, TokenizerConfig cfg) {
    MeshVqVae net = model.network();
    NDManager m = z.getManager(); // every temporary lives in the batch's manager
    float decay = (float) cfg.emaDecay();
    NDArray flat = z.reshape(-1, cfg.latentDim());
    NDArray oneHot = indices.flatten().oneHot(cfg.codebookSize()).toType(DataType.FLOAT32, false);
    NDArray counts = oneHot.sum(new int[] {0});
    NDArray sums = oneHot.transpose().matMul(flat);
    NDArray newCount =
        MeshVqVae.local(net.emaCount().getArray(), m).mul(decay).add(counts.mul(1 - decay));
    NDArray newSum =
        MeshVqVae.local(net.emaSum().getArray(), m).mul(decay).add(sums.mul(1 - decay));
    float total = newCount.sum().getFloat();
    float eps = 1e-5f;
    NDArray smoothed = newCount.add(eps).div(total + cfg.codebookSize() * eps).mul(total);
    net.emaCount().getArray().set(newCount.toFloatArray());
    net.emaSum().getArray().set(newSum.toFloatArray());
    net.codebook().getArray().set(newSum.div(smoothed.expandDims(1)).toFloatArray());
  }

  /**
   * Restarts every code no latent has chosen for {@code deadAfter} steps: it jumps to a random
   * latent of the current batch (plus a little noise), where it will be used.
   */
  private void restartDeadCodes(NDArray z, TokenizerConfig cfg) {
    MeshVqVae net = model.network();
    NDArray flat = z.reshape(-1, cfg.latentDim());
    long n = flat.getShape().get(0);
    int restarted = 0;
    for (int k = 0; k < lastUsed.length; k++) {
      if (step - lastUsed[k] >= cfg.deadAfter()) {
        long row = random.nextInt((int) n);
        NDArray v =
            flat.get(row)
                .add(
                    flat.getManager()
                        .randomNormal(0, 0.01f, new Shape(cfg.latentDim()), DataType.FLOAT32));
        net.codebook().getArray().set(new NDIndex(k), v);
        net.emaSum().getArray().set(new NDIndex(k), v);
        net.emaCount().getArray().set(new NDIndex(k), 1f);
        lastUsed[k] = step;
        restarted++;
      }
    }
    if (restarted > 0) {
      log.debug("step {}: restarted {} dead codes", step, restarted);
    }
  }

  /** Evaluates reconstruction and codebook usage on held-out bodies. */
  public TokenizerMetrics evaluate(List<BodyParams> heldOut) {
    return model.evaluate(heldOut, batchSize);
  }

  @Override
  public void close() {
    trainer.close();
  }

  static {
    Engine.getInstance(); // fail early, with DJL's own message, if the engine cannot load
  }
}
