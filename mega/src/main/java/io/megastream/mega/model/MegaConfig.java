package io.megastream.mega.model;

/**
 * Size of a MEGA network. The token sequence (54 slots over a 512-entry codebook) comes from the
 * tokenizer; the conditioning is a sequence of {@code conditionTokens} feature vectors of size
 * {@code conditionFeatures} (BlazePose: 33 landmarks × 8 features), or none for pre-training.
 *
 * @param dim model width D
 * @param heads attention heads (divides D)
 * @param encoderBlocks encoder depth (runs on visible tokens only; skipped when all are masked)
 * @param decoderBlocks decoder depth (runs on [conditioning ; cls ; 54 slots])
 * @param tokens token slots N
 * @param codebookSize codebook entries S
 * @param conditionTokens conditioning embeddings per sample
 * @param conditionFeatures features per conditioning embedding
 * @param dropout dropout in attention and MLP during training
 */
public record MegaConfig(
    int dim,
    int heads,
    int encoderBlocks,
    int decoderBlocks,
    int tokens,
    int codebookSize,
    int conditionTokens,
    int conditionFeatures,
    float dropout) {

  public MegaConfig {
    if (dim < 8 || heads < 1 || dim % heads != 0) {
      throw new IllegalArgumentException("dim must be >= 8 and divisible by heads: " + dim);
    }
    if (encoderBlocks < 1 || decoderBlocks < 1 || tokens < 1 || codebookSize < 2) {
      throw new IllegalArgumentException("blocks, tokens and codebook size must be positive");
    }
    if (conditionTokens < 0 || conditionFeatures < 1 || dropout < 0 || dropout >= 1) {
      throw new IllegalArgumentException("invalid conditioning size or dropout");
    }
  }

  /** The default: sized for real time on a CPU core pair (D=256, 4+4 blocks, 8 heads). */
  public static MegaConfig lite(int conditionTokens, int conditionFeatures) {
    return new MegaConfig(256, 8, 4, 4, 54, 512, conditionTokens, conditionFeatures, 0.1f);
  }

  /** The paper's size: D=1024, 12 encoder and 4 decoder blocks, 16 heads. */
  public static MegaConfig paper(int conditionTokens, int conditionFeatures) {
    return new MegaConfig(1024, 16, 12, 4, 54, 512, conditionTokens, conditionFeatures, 0.1f);
  }

  /** A few thousand parameters, for tests that must prove the loop learns in seconds. */
  public static MegaConfig tiny(int conditionTokens, int conditionFeatures) {
    return new MegaConfig(32, 2, 1, 1, 54, 512, conditionTokens, conditionFeatures, 0f);
  }

  /** The token id of a masked slot (one past the codebook). */
  public int maskId() {
    return codebookSize;
  }
}
