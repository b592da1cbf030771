package io.megastream.mega.tokenizer;

/**
 * Reconstruction quality and codebook usage of a tokenizer on a set of meshes.
 *
 * @param meshes meshes evaluated
 * @param pveMm mean per-vertex Euclidean error, millimetres
 * @param mpjpeMm mean per-joint error of the 14 LSP joints regressed from the meshes, millimetres
 * @param perplexity exp(entropy) of the token distribution: the effective number of codes used
 * @param deadCodes codes never used on these meshes
 */
public record TokenizerMetrics(
    int meshes, double pveMm, double mpjpeMm, double perplexity, int deadCodes) {

  @Override
  public String toString() {
    return String.format(
        "PVE %.1f mm, MPJPE %.1f mm, perplexity %.1f, dead codes %d (%d meshes)",
        pveMm, mpjpeMm, perplexity, deadCodes, meshes);
  }
}
