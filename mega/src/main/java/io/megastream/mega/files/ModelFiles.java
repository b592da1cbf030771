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

  /**
   * Reads a model manifest written by {@link #save}.
   *
   * @param complete whether the manifest has what its model needs
   * @throws IOException if the file is missing, unreadable or incomplete
   */
  public static <T> T readManifest(
      Path json, Class<T> type, java.util.function.Predicate<T> complete) throws IOException {
    if (!Files.isRegularFile(json)) {
      throw new IOException("missing " + json);
    }
    try (java.io.Reader r = Files.newBufferedReader(json)) {
      T m = JsonUtils.GSON.fromJson(r, type);
      if (m == null || !complete.test(m)) {
        throw new IOException("incomplete manifest " + json);
      }
      return m;
    } catch (RuntimeException e) {
      throw new IOException("unreadable manifest " + json + ": " + e.getMessage(), e);
    }
  }

  /**
   * Loads parameters written by {@link #save} into an initialisable block.
   *
   * @throws IOException if the file cannot be read
   * @throws ai.djl.MalformedModelException if it does not match the block
   */
  public static void loadParameters(Block block, ai.djl.ndarray.NDManager manager, Path file)
      throws IOException, ai.djl.MalformedModelException {
    try (java.io.DataInputStream in =
        new java.io.DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
      block.loadParameters(manager, in);
    }
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

  /**
   * A model directory (files and sub-directories, e.g. an image model's backbone) as zip bytes, in
   * a stable order: what a {@code ModelVersion} carries inline.
   *
   * @throws IOException if a file cannot be read
   */
  public static byte[] zip(Path dir) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.util.List<Path> files;
    try (var walk = Files.walk(dir)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(f -> !f.getFileName().toString().endsWith(".tmp"))
              .sorted()
              .toList();
    }
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
      for (Path f : files) {
        zip.putNextEntry(
            new java.util.zip.ZipEntry(dir.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, zip);
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /**
   * Unpacks {@link #zip} bytes into {@code dir} (created if needed).
   *
   * @throws IOException if the bytes are not a zip or an entry would land outside {@code dir}
   */
  public static void unzip(byte[] zipped, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path root = dir.toAbsolutePath().normalize();
    int entries = 0;
    try (java.util.zip.ZipInputStream zip =
        new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zipped))) {
      for (java.util.zip.ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        Path target = root.resolve(e.getName()).normalize();
        if (!target.startsWith(root)) {
          throw new IOException("zip entry " + e.getName() + " points outside " + dir);
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
        entries++;
      }
    }
    if (entries == 0) {
      throw new IOException("not a model archive: no files in " + zipped.length + " bytes");
    }
  }

  /** SHA-256 of bytes, lower-case hex: how model archives are checked. */
  public static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
