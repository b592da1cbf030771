package io.megastream.sink.decode;

import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.model.MegaModel;
import io.megastream.mega.tokenizer.TokenizerLoadException;
import io.megastream.mega.tokenizer.TokenizerModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which tokenizer decodes a result: every result names the MEGA model version that made it, every
 * MEGA model's manifest names the tokenizer it was trained with ({@code tokenizerVersion}), and
 * every tokenizer's manifest names its own version. A result whose model is known is decoded with
 * that model's tokenizer, or rejected if it is not loaded; a result of an unknown model is decoded
 * with the only tokenizer when there is just one, and rejected when there are several (guessing
 * would give a wrong mesh without a word). Not thread-safe (the tokenizers are not).
 */
public final class Tokenizers implements AutoCloseable {

  private final Map<String, TokenizerModel> byVersion;
  private final Map<String, String> tokenizerOfModel;
  private final boolean owned;

  private Tokenizers(
      Map<String, TokenizerModel> byVersion, Map<String, String> tokenizerOfModel, boolean owned) {
    this.byVersion = byVersion;
    this.tokenizerOfModel = tokenizerOfModel;
    this.owned = owned;
  }

  /** One tokenizer for every result (not closed by {@link #close()}). */
  public static Tokenizers single(TokenizerModel tokenizer) {
    return new Tokenizers(Map.of("(the tokenizer)", tokenizer), Map.of(), false);
  }

  /**
   * Loads the tokenizers and reads the MEGA model manifests.
   *
   * @param tokenizerDirs tokenizer directories ({@code tokenizer.json} + parameters)
   * @param modelRoots MEGA model directories, or folders holding them (one level down), whose
   *     {@code mega.json} tells their tokenizer; missing roots are skipped
   * @throws TokenizerLoadException if a tokenizer is missing or corrupt
   * @throws IOException if a tokenizer manifest cannot be read
   */
  public static Tokenizers load(
      List<Path> tokenizerDirs, List<Path> modelRoots, SkinnedBodyModel body)
      throws TokenizerLoadException, IOException {
    Map<String, TokenizerModel> tokenizers = new LinkedHashMap<>();
    try {
      for (Path dir : tokenizerDirs) {
        TokenizerModel t = TokenizerModel.load(dir, body);
        TokenizerModel before = tokenizers.put(versionOf(dir, t), t);
        if (before != null) {
          before.close();
        }
      }
    } catch (TokenizerLoadException | IOException | RuntimeException e) {
      tokenizers.values().forEach(TokenizerModel::close);
      throw e;
    }
    Map<String, String> models = new LinkedHashMap<>();
    for (Path root : modelRoots) {
      for (Path dir : modelDirs(root)) {
        try {
          MegaModel.Manifest m = MegaModel.readManifest(dir);
          if (m.version != null && m.tokenizerVersion != null) {
            models.put(m.version, m.tokenizerVersion);
          }
        } catch (IOException notAModel) {
          // a folder beside the models (a tokenizer, a backbone): not a MEGA model
        }
      }
    }
    return new Tokenizers(tokenizers, models, true);
  }

  private static String versionOf(Path dir, TokenizerModel loaded) throws IOException {
    try {
      return TokenizerModel.readManifest(dir).version;
    } catch (IOException e) {
      loaded.close();
      throw e;
    }
  }

  private static List<Path> modelDirs(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    if (Files.isRegularFile(root.resolve(MegaModel.NAME + ".json"))) {
      return List.of(root);
    }
    try (Stream<Path> children = Files.list(root)) {
      return children.filter(Files::isDirectory).sorted().toList();
    }
  }

  /**
   * The tokenizer for results of {@code modelVersion}.
   *
   * @throws IllegalArgumentException if it is not loaded, or cannot be told
   */
  public TokenizerModel forModel(String modelVersion) {
    String wanted = tokenizerOfModel.get(modelVersion);
    if (wanted != null) {
      TokenizerModel t = byVersion.get(wanted);
      if (t == null) {
        throw new IllegalArgumentException(
            "model "
                + modelVersion
                + " was trained with tokenizer "
                + wanted
                + ", which is not loaded (loaded: "
                + byVersion.keySet()
                + ")");
      }
      return t;
    }
    if (byVersion.size() == 1) {
      return byVersion.values().iterator().next();
    }
    throw new IllegalArgumentException(
        "unknown model version '"
            + modelVersion
            + "': cannot tell which of the tokenizers "
            + byVersion.keySet()
            + " decodes it (give the model directory)");
  }

  /** The loaded tokenizers' versions. */
  public Set<String> versions() {
    return byVersion.keySet();
  }

  /** Model versions whose tokenizer is known. */
  public Set<String> models() {
    return tokenizerOfModel.keySet();
  }

  @Override
  public void close() {
    if (owned) {
      byVersion.values().forEach(TokenizerModel::close);
    }
  }
}
