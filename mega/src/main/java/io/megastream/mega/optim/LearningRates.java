package io.megastream.mega.optim;

import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.tracker.WarmUpTracker;

/** Learning-rate schedules shared by the training loops. */
public final class LearningRates {

  private LearningRates() {}

  /**
   * Linear warm-up (5 % of the steps, at most 500) from lr/100, then cosine decay to lr/50 at
   * {@code totalSteps}; shifted by {@code startStep} so a resumed run continues the schedule.
   */
  public static Tracker warmUpCosine(float baseLr, int totalSteps, int startStep) {
    int warmup = Math.max(1, Math.min(500, totalSteps / 20));
    Tracker schedule =
        WarmUpTracker.builder()
            .optWarmUpSteps(warmup)
            .optWarmUpBeginValue(baseLr / 100)
            .setMainTracker(
                CosineTracker.builder()
                    .setBaseValue(baseLr)
                    .optFinalValue(baseLr / 50)
                    .setMaxUpdates(Math.max(1, totalSteps - warmup))
                    .build())
            .build();
    return numUpdate -> schedule.getNewValue(numUpdate + startStep);
  }

  /**
   * The optimiser every training loop here uses: AdamW (β 0.9/0.99, weight decay 0.05) on the
   * {@link #warmUpCosine} schedule, gradients clipped to 1.
   */
  public static ai.djl.training.optimizer.Optimizer adamW(
      float baseLr, int totalSteps, int startStep) {
    return ai.djl.training.optimizer.Optimizer.adamW()
        .optLearningRateTracker(warmUpCosine(baseLr, totalSteps, startStep))
        .optBeta1(0.9f)
        .optBeta2(0.99f)
        .optWeightDecays(0.05f)
        .optClipGrad(1f)
        .build();
  }
}
