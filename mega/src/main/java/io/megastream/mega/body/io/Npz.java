package io.megastream.mega.body.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A NumPy {@code .npz} archive (what {@code np.savez} and {@code np.savez_compressed} write): a zip
 * of {@code .npy} files, stored or deflated. Arrays are read on demand, so an archive may carry
 * arrays this reader refuses (pickled objects, strings) as long as nobody asks for them. Not
 * thread-safe: read from one thread, then share the arrays.
 */
public final class Npz implements Closeable {

  private static final String SUFFIX = ".npy";

  private final String file;
  private final ZipFile zip;
  private final Set<String> names;

  private Npz(String file, ZipFile zip, Set<String> names) {
    this.file = file;
    this.zip = zip;
    this.names = names;
  }

  /**
   * Opens an archive and lists its arrays.
   *
   * @throws BodyModelFormatException if the file is not a readable zip (e.g. truncated)
   * @throws IOException if the file cannot be read
   */
  public static Npz open(Path path) throws IOException {
    String file = path.toString();
    ZipFile zip;
    try {
      zip = new ZipFile(path.toFile());
    } catch (ZipException e) {
      if (!Files.isRegularFile(path)) {
        throw e;
      }
      throw new BodyModelFormatException(
          file, null, "not a readable .npz (zip) archive, perhaps truncated: " + e.getMessage(), e);
    }
    Set<String> names = new TreeSet<>();
    Enumeration<? extends ZipEntry> entries = zip.entries();
    while (entries.hasMoreElements()) {
      String n = entries.nextElement().getName();
      if (n.endsWith(SUFFIX)) {
        names.add(n.substring(0, n.length() - SUFFIX.length()));
      }
    }
    return new Npz(file, zip, Collections.unmodifiableSet(names));
  }

  /** The archive's file name, as given. */
  public String file() {
    return file;
  }

  /** The names of the arrays, sorted, without the {@code .npy} suffix. */
  public Set<String> names() {
    return names;
  }

  /** Whether the archive holds an array of that name. */
  public boolean contains(String name) {
    return names.contains(name);
  }

  /**
   * Reads one array.
   *
   * @throws BodyModelFormatException if the array is missing, truncated, corrupt or unsupported;
   *     the message names the file and the array
   * @throws IOException if the file cannot be read
   */
  public NpyArray get(String name) throws IOException {
    ZipEntry entry = zip.getEntry(name + SUFFIX);
    if (entry == null) {
      throw new BodyModelFormatException(file, name, "missing (the archive holds " + names + ")");
    }
    try (InputStream in = new BufferedInputStream(zip.getInputStream(entry))) {
      return Npy.read(in, file, name);
    } catch (ZipException | EOFException e) {
      // a damaged deflate stream; the stored size is checked by Npy itself
      throw new BodyModelFormatException(
          file, name, "corrupt compressed data: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    zip.close();
  }

  /** Writes arrays as {@code np.savez_compressed} would. */
  public static void write(Path path, Map<String, NpyArray> arrays) throws IOException {
    try (Writer w = writer(path)) {
      for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
        w.add(e.getKey(), e.getValue());
      }
    }
  }

  /** A writer that adds arrays one by one, each with its own compression and layout. */
  public static Writer writer(Path path) throws IOException {
    return new Writer(new ZipOutputStream(Files.newOutputStream(path)));
  }

  /** How an entry is put in the archive. */
  public enum Compression {
    /** As {@code np.savez}. */
    STORED,
    /** As {@code np.savez_compressed}. */
    DEFLATED
  }

  /** Adds arrays to a new archive; {@link #close()} finishes it. Not thread-safe. */
  public static final class Writer implements Closeable {
    private final ZipOutputStream out;

    private Writer(ZipOutputStream out) {
      this.out = out;
    }

    /** Adds a deflated, little-endian, C-order array. */
    public Writer add(String name, NpyArray array) throws IOException {
      return add(name, array, Compression.DEFLATED, Npy.WriteOptions.DEFAULT);
    }

    /** Adds an array with the given compression and {@code .npy} options. */
    public Writer add(
        String name, NpyArray array, Compression compression, Npy.WriteOptions options)
        throws IOException {
      Objects.requireNonNull(name, "name");
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      Npy.write(bytes, array, options);
      return addNpy(name, bytes.toByteArray(), compression);
    }

    /** Adds the bytes of a {@code .npy} file as they are (tests use it to write odd entries). */
    Writer addNpy(String name, byte[] data, Compression compression) throws IOException {
      ZipEntry entry = new ZipEntry(name + SUFFIX);
      if (compression == Compression.STORED) {
        // a stored entry must announce its size and checksum before its data
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        entry.setCrc(crc.getValue());
      } else {
        entry.setMethod(ZipEntry.DEFLATED);
      }
      out.putNextEntry(entry);
      out.write(data);
      out.closeEntry();
      return this;
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
