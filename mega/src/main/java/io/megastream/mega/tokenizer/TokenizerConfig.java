package io.megastream.mega.tokenizer;

import java.util.Arrays;

/**
 * Architecture and training constants of the Mesh-VQ-VAE tokenizer. Immutable.
 *
 * @param levels node counts per level, from all mesh vertices down to the token regions
 * @param channels feature channels per level (same length as levels)
 * @param kConv neighbours per same-level convolution
 * @param kPool finer nodes pooled into a coarser node
 * @param kUnpool coarser nodes read by a finer node
 * @param codebookSize S, entries of the codebook
 * @param latentDim size of each codebook vector
 * @param commitment weight of the commitment loss (0.25 in the paper)
 * @param emaDecay decay of the EMA codebook updates
 * @param deadAfter a code no latent chose for this many steps is restarted (checked every 10
 *     steps); 0 disables restarts
 * @param scale metres per unit of the network's input and output (offsets from the template)
 */
public record TokenizerConfig(
    int[] levels,
    int[] channels,
    int kConv,
    int kPool,
    int kUnpool,
    int codebookSize,
    int latentDim,
    double commitment,
    double emaDecay,
    int deadAfter,
    double scale) {

  /** N: tokens per mesh, the size of the coarsest level. */
  public int tokens() {
    return levels[levels.length - 1];
  }

  public TokenizerConfig {
    if (levels.length != channels.length || levels.length < 2) {
      throw new IllegalArgumentException("levels and channels must have the same length >= 2");
    }
    levels = levels.clone();
    channels = channels.clone();
  }

  /**
   * The default for the procedural body: 5,746 vertices -> 1,436 -> 359 -> 108 -> 54 tokens of 9
   * dimensions, 512 codes.
   */
  public static TokenizerConfig defaults(int vertexCount) {
    return new TokenizerConfig(
        new int[] {vertexCount, vertexCount / 4, vertexCount / 16, 108, 54},
        new int[] {16, 32, 64, 128, 128},
        7,
        7,
        3,
        512,
        9,
        0.25,
        0.99,
        100,
        0.1);
  }

  @Override
  public int[] levels() {
    return levels.clone();
  }

  @Override
  public int[] channels() {
    return channels.clone();
  }

  @Override
  public String toString() {
    return "TokenizerConfig[levels="
        + Arrays.toString(levels)
        + ", channels="
        + Arrays.toString(channels)
        + ", k="
        + kConv
        + "/"
        + kPool
        + "/"
        + kUnpool
        + ", codebook="
        + codebookSize
        + "x"
        + latentDim
        + "]";
  }
}
