package io.megastream.mega.model;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * MEGA's generation modes on a {@link MegaModel}:
 *
 * <ul>
 *   <li>deterministic: every slot masked, the encoder skipped, one decoder pass, argmax; with a
 *       cheap uncertainty signal (mean max-probability and mean entropy over the 54 slots);
 *   <li>stochastic: T steps; at step t a candidate for every masked slot by Gumbel-max on the
 *       logits with noise scale A·(1 − t/T), then the n_t − n_{t−1} candidates to fix chosen by
 *       Gumbel-max on their log-probabilities; fixed tokens stay; the last step fixes every slot
 *       left; Q samples of one input run as Q rows of one batch;
 *   <li>unconditional: the same on a model without conditioning, noise (A·(1 − t/T))^6.
 * </ul>
 *
 * Gumbel noise comes from a seeded Java generator, so results are repeatable. Not thread-safe.
 */
public final class MegaGenerator {

  /** Result of the deterministic pass for one input. */
  public record Prediction(int[] tokens, float[] rotCam, float confidence, float entropy) {}

  /** Options of stochastic generation. */
  public record Sampling(int samples, int steps, double temperature, double noisePower) {

    public Sampling {
      if (samples < 1 || steps < 1 || temperature < 0 || noisePower <= 0) {
        throw new IllegalArgumentException("samples and steps >= 1, temperature >= 0");
      }
    }

    /** The paper's conditional setting: Q samples, T steps, A = temperature. */
    public static Sampling conditional(int samples, int steps, double temperature) {
      return new Sampling(samples, steps, temperature, 1);
    }

    /** Random generation from the pre-trained model: 20 steps, (1.2·(1 − t/T))^6. */
    public static Sampling unconditional(int samples) {
      return new Sampling(samples, 20, 1.2, 6);
    }
  }

  private final MegaModel model;
  private final int n;
  private final int s;

  public MegaGenerator(MegaModel model) {
    this.model = model;
    this.n = model.config().tokens();
    this.s = model.config().codebookSize();
  }

  /**
   * Deterministic mode for a batch of inputs.
   *
   * @param conditions B × (C·F) features (null for an unconditioned model: then B = 1)
   */
  public Prediction[] deterministic(float[][] conditions) {
    int b = conditions == null ? 1 : conditions.length;
    MegaModel.Output out = model.forward(new int[b][n], new boolean[b][n], conditions);
    Prediction[] result = new Prediction[b];
    float[] probs = new float[s];
    for (int i = 0; i < b; i++) {
      int[] tokens = new int[n];
      double conf = 0;
      double entropy = 0;
      for (int j = 0; j < n; j++) {
        int base = (i * n + j) * s;
        softmax(out.logits(), base, probs);
        int best = 0;
        double h = 0;
        for (int k = 0; k < s; k++) {
          if (probs[k] > probs[best]) {
            best = k;
          }
          if (probs[k] > 0) {
            h -= probs[k] * Math.log(probs[k]);
          }
        }
        tokens[j] = best;
        conf += probs[best];
        entropy += h;
      }
      result[i] =
          new Prediction(tokens, out.rotCam()[i], (float) (conf / n), (float) (entropy / n));
    }
    return result;
  }

  /**
   * Stochastic mode: {@code sampling.samples()} token sequences for one input.
   *
   * @param condition C·F features, or null for an unconditioned model
   * @return samples × N tokens, every one in [0, S)
   */
  public int[][] sample(float[] condition, Sampling sampling, long seed) {
    int q = sampling.samples();
    int steps = sampling.steps();
    SplittableRandom random = new SplittableRandom(seed);
    float[][] conditions = null;
    if (condition != null) {
      conditions = new float[q][];
      Arrays.fill(conditions, condition);
    }
    int[][] tokens = new int[q][n];
    boolean[][] fixed = new boolean[q][n];
    float[] logp = new float[s];
    double[] score = new double[n];
    for (int t = 1; t <= steps; t++) {
      MegaModel.Output out = model.forward(tokens, fixed, conditions);
      double noise = Schedules.noise(sampling.temperature(), t, steps, sampling.noisePower());
      int toFix = Schedules.fixedAfterStep(n, t, steps) - Schedules.fixedAfterStep(n, t - 1, steps);
      for (int r = 0; r < q; r++) {
        int[] candidate = new int[n];
        for (int j = 0; j < n; j++) {
          if (fixed[r][j]) {
            score[j] = Double.NEGATIVE_INFINITY;
            continue;
          }
          logSoftmax(out.logits(), (r * n + j) * s, logp);
          int best = 0;
          double bestValue = Double.NEGATIVE_INFINITY;
          for (int k = 0; k < s; k++) {
            double v = logp[k] + noise * gumbel(random);
            if (v > bestValue) {
              bestValue = v;
              best = k;
            }
          }
          candidate[j] = best;
          score[j] = logp[best] + noise * gumbel(random);
        }
        int free = 0;
        for (boolean f : fixed[r]) {
          free += f ? 0 : 1;
        }
        int count = t == steps ? free : Math.min(toFix, free);
        for (int c = 0; c < count; c++) {
          int pick = argMax(score);
          tokens[r][pick] = candidate[pick];
          fixed[r][pick] = true;
          score[pick] = Double.NEGATIVE_INFINITY;
        }
      }
    }
    return tokens;
  }

  private static double gumbel(SplittableRandom random) {
    double u = random.nextDouble();
    return -Math.log(-Math.log(Math.max(u, 1e-12)));
  }

  private static int argMax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Probabilities of one slot's logits (a softmax, via {@link #logSoftmax}). */
  private void softmax(float[] logits, int base, float[] out) {
    logSoftmax(logits, base, out);
    for (int k = 0; k < s; k++) {
      out[k] = (float) Math.exp(out[k]);
    }
  }

  /** Log-probabilities of one slot's logits, computed stably (max subtracted). */
  private void logSoftmax(float[] logits, int base, float[] out) {
    float max = Float.NEGATIVE_INFINITY;
    for (int k = 0; k < s; k++) {
      max = Math.max(max, logits[base + k]);
    }
    double sum = 0;
    for (int k = 0; k < s; k++) {
      sum += Math.exp(logits[base + k] - max);
    }
    float log = (float) (max + Math.log(sum));
    for (int k = 0; k < s; k++) {
      out[k] = logits[base + k] - log;
    }
  }
}
