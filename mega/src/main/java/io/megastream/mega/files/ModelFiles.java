package io.megastream.mega.files;

import ai.djl.nn.Block;
import ai.djl.util.JsonUtils;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * How a model directory is written: a DJL parameter file and a JSON manifest, each written to a
 * temporary name first and moved into place, so an interrupted save never leaves a broken model.
 */
public final class ModelFiles {

  private ModelFiles() {}

  /**
   * Writes {@code block}'s parameters (DJL's block format) to {@code dir/paramsFile} and {@code
   * manifest} as JSON to {@code dir/jsonFile}, creating {@code dir} if needed.
   *
   * @throws IOException if writing fails
   */
  public static void save(
      Path dir, String paramsFile, Block block, String jsonFile, Object manifest)
      throws IOException {
    Files.createDirectories(dir);
    Path paramsTmp = dir.resolve(paramsFile + ".tmp");
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(paramsTmp)))) {
      block.saveParameters(out);
    }
    move(paramsTmp, dir.resolve(paramsFile));
    Path jsonTmp = dir.resolve(jsonFile + ".tmp");
    try (Writer w = Files.newBufferedWriter(jsonTmp, StandardCharsets.UTF_8)) {
      JsonUtils.GSON_PRETTY.toJson(manifest, w);
    }
    move(jsonTmp, dir.resolve(jsonFile));
  }

  /** Trainable, initialised parameter values of a block. */
  public static long trainableParameters(Block block) {
    long n = 0;
    for (var p : block.getParameters().values()) {
      if (p.requiresGradient() && p.isInitialized()) {
        n += p.getArray().size();
      }
    }
    return n;
  }

  private static void move(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
