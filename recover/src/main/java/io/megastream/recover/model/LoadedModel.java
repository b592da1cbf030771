package io.megastream.recover.model;

import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.inference.Conditioner;
import io.megastream.mega.inference.PersonRecoverer;
import io.megastream.mega.model.MegaLoadException;
import io.megastream.mega.model.MegaModel;
import io.megastream.mega.pose.BlazePose;
import io.megastream.mega.tokenizer.TokenizerLoadException;
import io.megastream.mega.tokenizer.TokenizerModel;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One loaded model version: MEGA, its tokenizer, its conditioner and the recoverer over them, and
 * the version string every result carries. Not thread-safe; closed as a whole.
 */
public final class LoadedModel implements AutoCloseable {

  private final String version;
  private final Path dir;
  private final MegaModel mega;
  private final TokenizerModel tokenizer;
  private final PersonRecoverer recoverer;

  private LoadedModel(
      String version, Path dir, MegaModel mega, TokenizerModel tokenizer, PersonRecoverer r) {
    this.version = version;
    this.dir = dir;
    this.mega = mega;
    this.tokenizer = tokenizer;
    this.recoverer = r;
  }

  /**
   * Loads the MEGA model in {@code dir} with its conditioner and {@code tokenizerDir}'s tokenizer.
   *
   * @throws ModelLoadException if any part is missing, corrupt or not conditioned on images
   */
  public static LoadedModel load(
      Path dir, Path tokenizerDir, BlazePose.Variant variant, PersonRecoverer.Options options)
      throws ModelLoadException {
    return load(dir, tokenizerDir, variant, BlazePose.Engine.TFLITE, options);
  }

  /** As {@link #load(Path, Path, BlazePose.Variant, PersonRecoverer.Options)}, on a runtime. */
  public static LoadedModel load(
      Path dir,
      Path tokenizerDir,
      BlazePose.Variant variant,
      BlazePose.Engine engine,
      PersonRecoverer.Options options)
      throws ModelLoadException {
    MegaModel mega = null;
    TokenizerModel tokenizer = null;
    try {
      mega = MegaModel.load(dir);
      if (mega.conditioning() == MegaModel.Conditioning.NONE) {
        throw new ModelLoadException(
            dir
                + " is a pre-trained (stage 1) model without conditioning; the worker needs a"
                + " pose or image model",
            null);
      }
      MegaModel.Manifest manifest = MegaModel.readManifest(dir);
      String version = manifest.version;
      tokenizer = TokenizerModel.load(tokenizerDir, ProceduralBody.build());
      String tokenizerVersion = TokenizerModel.readManifest(tokenizerDir).version;
      if (manifest.tokenizerVersion != null
          && tokenizerVersion != null
          && !manifest.tokenizerVersion.equals(tokenizerVersion)) {
        // another tokenizer's codebook would turn every token into a wrong mesh, silently
        throw new ModelLoadException(
            "the model at "
                + dir
                + " predicts the tokens of tokenizer "
                + manifest.tokenizerVersion
                + ", but "
                + tokenizerDir
                + " is "
                + tokenizerVersion
                + ": pass the tokenizer it was trained with (--tokenizer)",
            null);
      }
      Conditioner conditioner = Conditioner.forModel(mega, dir, variant, engine);
      PersonRecoverer recoverer = new PersonRecoverer(mega, tokenizer, conditioner, options);
      return new LoadedModel(
          version == null ? dir.toString() : version, dir, mega, tokenizer, recoverer);
    } catch (MegaLoadException | TokenizerLoadException | IOException e) {
      close(mega, tokenizer);
      throw new ModelLoadException("cannot load the model at " + dir + ": " + e.getMessage(), e);
    } catch (ModelLoadException | RuntimeException e) {
      close(mega, tokenizer);
      throw e;
    }
  }

  private static void close(MegaModel mega, TokenizerModel tokenizer) {
    if (mega != null) {
      mega.close();
    }
    if (tokenizer != null) {
      tokenizer.close();
    }
  }

  public String version() {
    return version;
  }

  public Path dir() {
    return dir;
  }

  public PersonRecoverer recoverer() {
    return recoverer;
  }

  public TokenizerModel tokenizer() {
    return tokenizer;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) { // native memory: freeing it twice corrupts the heap
      recoverer.close();
      close(mega, tokenizer);
    }
  }

  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();
}
