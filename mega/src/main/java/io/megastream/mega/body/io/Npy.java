package io.megastream.mega.body.io;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes NumPy's {@code .npy} format (versions 1.0, 2.0 and 3.0) without NumPy and
 * without unpickling. Element types are those of {@link NpyDtype}, in either byte order; arrays
 * stored in Fortran order are transposed on reading so every {@link NpyArray} is row-major. Object
 * arrays ({@code |O}, which NumPy stores as a pickle) are refused: unpickling runs code chosen by
 * the file's author and needs the Python classes (scipy, chumpy) the objects belong to. Thread-safe
 * (stateless).
 *
 * @see <a href="https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html">the
 *     format</a>
 */
public final class Npy {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  /** NumPy aligns the start of the data to this many bytes. */
  private static final int ALIGN = 64;

  /** A header longer than this is taken as corruption rather than allocated. */
  private static final int MAX_HEADER = 1 << 20;

  /** Bytes converted per step, so a large array is not held twice. */
  private static final int CHUNK = 1 << 20;

  /** The largest Java array the reader will allocate. */
  private static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  /**
   * How to write an array.
   *
   * @param version format major version 1, 2 or 3, or 0 for NumPy's choice (1.0 unless the header
   *     needs more than 65535 bytes)
   * @param byteOrder byte order of multi-byte elements
   * @param fortranOrder whether to store the data column-major (NumPy's {@code fortran_order})
   */
  public record WriteOptions(int version, ByteOrder byteOrder, boolean fortranOrder) {

    /** NumPy's defaults: automatic version, little-endian, C order. */
    public static final WriteOptions DEFAULT = new WriteOptions(0, ByteOrder.LITTLE_ENDIAN, false);

    public WriteOptions {
      if (version < 0 || version > 3) {
        throw new IllegalArgumentException("version must be 0 (automatic), 1, 2 or 3");
      }
      Objects.requireNonNull(byteOrder, "byteOrder");
    }

    public WriteOptions withVersion(int version) {
      return new WriteOptions(version, byteOrder, fortranOrder);
    }

    public WriteOptions withByteOrder(ByteOrder byteOrder) {
      return new WriteOptions(version, byteOrder, fortranOrder);
    }

    public WriteOptions withFortranOrder(boolean fortranOrder) {
      return new WriteOptions(version, byteOrder, fortranOrder);
    }
  }

  private Npy() {}

  /**
   * Reads a {@code .npy} file.
   *
   * @throws BodyModelFormatException if the file is truncated, corrupt or of an unsupported type
   * @throws IOException if the file cannot be read
   */
  public static NpyArray read(Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      return read(in, file.toString(), null);
    }
  }

  /**
   * Reads one array from a stream positioned at its magic string; the stream is not closed.
   *
   * @param source what the stream is, for messages (e.g. a file name)
   * @throws BodyModelFormatException if the data is truncated, corrupt or of an unsupported type
   * @throws IOException if the stream fails
   */
  public static NpyArray read(InputStream in, String source) throws IOException {
    return read(in, source, null);
  }

  static NpyArray read(InputStream in, String file, String array) throws IOException {
    Header h = readHeader(in, file, array);
    Object storage = readData(in, h, file, array);
    if (h.fortranOrder && h.shape.length > 1) {
      storage = permute(storage, fortranToC(h.shape), true);
    }
    return NpyArray.wrap(h.dtype, h.shape, storage);
  }

  /** Writes an array as NumPy would by default: little-endian, C order. */
  public static void write(Path file, NpyArray array) throws IOException {
    write(file, array, WriteOptions.DEFAULT);
  }

  /** Writes an array to a file. */
  public static void write(Path file, NpyArray array, WriteOptions options) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      write(out, array, options);
    }
  }

  /**
   * Writes an array to a stream (not closed).
   *
   * @throws IllegalArgumentException if version 1 is asked for and the header does not fit
   */
  public static void write(OutputStream out, NpyArray array, WriteOptions options)
      throws IOException {
    int[] shape = array.shape();
    String dict =
        "{'descr': '"
            + array.dtype().descr(options.byteOrder())
            + "', 'fortran_order': "
            + (options.fortranOrder() ? "True" : "False")
            + ", 'shape': "
            + NpyArray.shapeString(shape)
            + ", }";
    int version = options.version();
    if (version == 0) {
      version = paddedLength(1, dict) - 10 <= 0xFFFF ? 1 : 2;
    }
    int prefix = MAGIC.length + 2 + (version == 1 ? 2 : 4);
    int total = paddedLength(version, dict);
    int headerLength = total - prefix;
    if (version == 1 && headerLength > 0xFFFF) {
      throw new IllegalArgumentException("header of " + headerLength + " bytes needs version 2");
    }
    byte[] header = new byte[total];
    System.arraycopy(MAGIC, 0, header, 0, MAGIC.length);
    header[6] = (byte) version;
    header[7] = 0;
    ByteBuffer len = ByteBuffer.wrap(header, 8, prefix - 8).order(ByteOrder.LITTLE_ENDIAN);
    if (version == 1) {
      len.putShort((short) headerLength);
    } else {
      len.putInt(headerLength);
    }
    byte[] text = dict.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(text, 0, header, prefix, text.length);
    for (int i = prefix + text.length; i < total - 1; i++) {
      header[i] = ' ';
    }
    header[total - 1] = '\n';
    out.write(header);

    Object storage = array.storage();
    if (options.fortranOrder() && shape.length > 1) {
      storage = permute(storage, fortranToC(shape), false);
    }
    writeData(out, storage, array.dtype().itemSize(), options.byteOrder());
  }

  /** Magic, version, length field, dict and newline, padded to {@link #ALIGN} with spaces. */
  private static int paddedLength(int version, String dict) {
    int prefix = MAGIC.length + 2 + (version == 1 ? 2 : 4);
    return ((prefix + dict.length() + 1 + ALIGN - 1) / ALIGN) * ALIGN;
  }

  // ---- reading ----

  private record Header(NpyDtype dtype, ByteOrder order, boolean fortranOrder, int[] shape) {}

  private static Header readHeader(InputStream in, String file, String array) throws IOException {
    byte[] start = in.readNBytes(MAGIC.length + 2);
    for (int i = 0; i < Math.min(start.length, MAGIC.length); i++) {
      if (start[i] != MAGIC[i]) {
        throw new BodyModelFormatException(
            file, array, "not a NumPy .npy array (no \\x93NUMPY magic string at the start)");
      }
    }
    if (start.length < MAGIC.length + 2) {
      throw new BodyModelFormatException(
          file, array, "truncated: ends after " + start.length + " bytes, inside the header");
    }
    int major = start[6] & 0xFF;
    int minor = start[7] & 0xFF;
    if (major < 1 || major > 3 || minor != 0) {
      throw new BodyModelFormatException(
          file,
          array,
          "unsupported .npy format version " + major + "." + minor + " (known: 1.0, 2.0, 3.0)");
    }
    int lengthBytes = major == 1 ? 2 : 4;
    byte[] lb = in.readNBytes(lengthBytes);
    if (lb.length < lengthBytes) {
      throw new BodyModelFormatException(file, array, "truncated inside the header");
    }
    ByteBuffer bb = ByteBuffer.wrap(lb).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength =
        major == 1 ? Short.toUnsignedInt(bb.getShort()) : Integer.toUnsignedLong(bb.getInt());
    if (headerLength > MAX_HEADER) {
      throw new BodyModelFormatException(
          file, array, "corrupt: header claims " + headerLength + " bytes");
    }
    byte[] hb = in.readNBytes((int) headerLength);
    if (hb.length < headerLength) {
      throw new BodyModelFormatException(
          file,
          array,
          "truncated: header needs " + headerLength + " bytes, only " + hb.length + " present");
    }
    // 1.0 and 2.0 headers are latin-1; 3.0 allows UTF-8 (field names in structured types)
    String text = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Object parsed;
    try {
      parsed = new LiteralParser(text).parseAll();
    } catch (IllegalArgumentException e) {
      throw new BodyModelFormatException(
          file, array, "corrupt header '" + text.strip() + "': " + e.getMessage(), e);
    }
    if (!(parsed instanceof Map<?, ?> dict)
        || !dict.containsKey("descr")
        || !(dict.get("fortran_order") instanceof Boolean fortran)
        || !(dict.get("shape") instanceof List<?> shapeList)) {
      throw new BodyModelFormatException(
          file,
          array,
          "corrupt header '" + text.strip() + "': needs 'descr', 'fortran_order' and 'shape'");
    }
    Object descr = dict.get("descr");
    if (!(descr instanceof String type)) {
      throw new BodyModelFormatException(
          file,
          array,
          "holds a structured (record) dtype "
              + descr
              + "; only plain numeric arrays are supported");
    }
    int[] shape = new int[shapeList.size()];
    long size = 1;
    for (int i = 0; i < shape.length; i++) {
      if (!(shapeList.get(i) instanceof Long d) || d < 0 || d > MAX_ELEMENTS) {
        throw new BodyModelFormatException(file, array, "corrupt header: bad shape " + shapeList);
      }
      shape[i] = d.intValue();
      size *= d;
      if (size > MAX_ELEMENTS) {
        throw new BodyModelFormatException(
            file, array, "shape " + shapeList + " has more elements than a Java array can hold");
      }
    }
    return dtypeOf(type, fortran, shape, file, array);
  }

  private static Header dtypeOf(
      String descr, boolean fortran, int[] shape, String file, String array)
      throws BodyModelFormatException {
    if (descr.length() >= 2 && descr.charAt(1) == 'O') {
      throw new BodyModelFormatException(
          file,
          array,
          "holds Python objects (dtype "
              + descr
              + "), which NumPy stores as a pickle: typically a scipy sparse matrix or a chumpy"
              + " array left by a conversion script. MegaStream does not unpickle (it would run"
              + " code from the file and needs those Python classes); re-save it as a plain"
              + " array, e.g. np.asarray(x.toarray() if scipy.sparse.issparse(x) else x,"
              + " dtype=np.float64)");
    }
    NpyDtype dtype = null;
    ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    if (descr.length() >= 3) {
      char o = descr.charAt(0);
      int itemSize = -1;
      try {
        itemSize = Integer.parseInt(descr.substring(2));
      } catch (NumberFormatException e) {
        // not a simple numeric type such as '<U10' with a width: reported below
      }
      NpyDtype t = NpyDtype.of(descr.charAt(1), itemSize);
      if (t != null) {
        // one-byte types ignore byte order; wider ones must state it ('=' is "native to the
        // writer", unknowable here, and NumPy never writes it)
        if (t.itemSize() == 1 ? (o == '|' || o == '<' || o == '>') : (o == '<' || o == '>')) {
          dtype = t;
          order = o == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        }
      }
    }
    if (dtype == null) {
      throw new BodyModelFormatException(
          file,
          array,
          "unsupported dtype '"
              + descr
              + "' (supported: f4, f8, i4, i8, u4 in either byte order, u1, b1)");
    }
    return new Header(dtype, order, fortran, shape);
  }

  private static Object readData(InputStream in, Header h, String file, String array)
      throws IOException {
    int n = 1;
    for (int d : h.shape) {
      n *= d;
    }
    int item = h.dtype.itemSize();
    Object out =
        switch (h.dtype) {
          case FLOAT64 -> new double[n];
          case FLOAT32 -> new float[n];
          case INT64 -> new long[n];
          case INT32, UINT32 -> new int[n];
          case UINT8, BOOL -> new byte[n];
        };
    int perChunk = Math.max(1, CHUNK / item);
    byte[] buf = new byte[Math.min(n, perChunk) * item];
    int done = 0;
    while (done < n) {
      int count = Math.min(n - done, perChunk);
      int got = in.readNBytes(buf, 0, count * item);
      if (got < count * item) {
        throw new BodyModelFormatException(
            file,
            array,
            "truncated: "
                + h.dtype.descr(h.order)
                + " array of shape "
                + NpyArray.shapeString(h.shape)
                + " needs "
                + (long) n * item
                + " data bytes, only "
                + ((long) done * item + got)
                + " present");
      }
      ByteBuffer bb = ByteBuffer.wrap(buf, 0, count * item).order(h.order);
      if (out instanceof double[] a) {
        bb.asDoubleBuffer().get(a, done, count);
      } else if (out instanceof float[] a) {
        bb.asFloatBuffer().get(a, done, count);
      } else if (out instanceof long[] a) {
        bb.asLongBuffer().get(a, done, count);
      } else if (out instanceof int[] a) {
        bb.asIntBuffer().get(a, done, count);
      } else {
        byte[] a = (byte[]) out;
        for (int i = 0; i < count; i++) {
          // NumPy's booleans are 0 or 1; keep any other byte as true
          a[done + i] = h.dtype == NpyDtype.BOOL ? (byte) (buf[i] != 0 ? 1 : 0) : buf[i];
        }
      }
      done += count;
    }
    return out;
  }

  // ---- writing ----

  private static void writeData(OutputStream out, Object storage, int item, ByteOrder order)
      throws IOException {
    int n = java.lang.reflect.Array.getLength(storage);
    int perChunk = Math.max(1, CHUNK / item);
    byte[] buf = new byte[Math.min(n, perChunk) * item];
    for (int done = 0; done < n; ) {
      int count = Math.min(n - done, perChunk);
      ByteBuffer bb = ByteBuffer.wrap(buf, 0, count * item).order(order);
      if (storage instanceof double[] a) {
        bb.asDoubleBuffer().put(a, done, count);
      } else if (storage instanceof float[] a) {
        bb.asFloatBuffer().put(a, done, count);
      } else if (storage instanceof long[] a) {
        bb.asLongBuffer().put(a, done, count);
      } else if (storage instanceof int[] a) {
        bb.asIntBuffer().put(a, done, count);
      } else {
        System.arraycopy((byte[]) storage, done, buf, 0, count);
      }
      out.write(buf, 0, count * item);
      done += count;
    }
  }

  // ---- Fortran order ----

  /** For each position in Fortran (column-major) order, the row-major index of the same element. */
  private static int[] fortranToC(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    int rank = shape.length;
    int[] stride = new int[rank];
    int s = 1;
    for (int k = rank - 1; k >= 0; k--) {
      stride[k] = s;
      s *= shape[k];
    }
    int[] map = new int[n];
    int[] counter = new int[rank];
    int c = 0;
    for (int f = 0; f < n; f++) {
      map[f] = c;
      // advance the multi-index with the first axis fastest, keeping c in step
      for (int k = 0; k < rank; k++) {
        if (++counter[k] < shape[k]) {
          c += stride[k];
          break;
        }
        c -= stride[k] * (shape[k] - 1);
        counter[k] = 0;
      }
    }
    return map;
  }

  /**
   * Reorders storage: with {@code scatter}, {@code out[map[i]] = in[i]} (Fortran to C); otherwise
   * {@code out[i] = in[map[i]]} (C to Fortran).
   */
  private static Object permute(Object in, int[] map, boolean scatter) {
    int n = map.length;
    if (in instanceof double[] a) {
      double[] o = new double[n];
      for (int i = 0; i < n; i++) {
        if (scatter) {
          o[map[i]] = a[i];
        } else {
          o[i] = a[map[i]];
        }
      }
      return o;
    }
    if (in instanceof float[] a) {
      float[] o = new float[n];
      for (int i = 0; i < n; i++) {
        if (scatter) {
          o[map[i]] = a[i];
        } else {
          o[i] = a[map[i]];
        }
      }
      return o;
    }
    if (in instanceof long[] a) {
      long[] o = new long[n];
      for (int i = 0; i < n; i++) {
        if (scatter) {
          o[map[i]] = a[i];
        } else {
          o[i] = a[map[i]];
        }
      }
      return o;
    }
    if (in instanceof int[] a) {
      int[] o = new int[n];
      for (int i = 0; i < n; i++) {
        if (scatter) {
          o[map[i]] = a[i];
        } else {
          o[i] = a[map[i]];
        }
      }
      return o;
    }
    byte[] a = (byte[]) in;
    byte[] o = new byte[n];
    for (int i = 0; i < n; i++) {
      if (scatter) {
        o[map[i]] = a[i];
      } else {
        o[i] = a[map[i]];
      }
    }
    return o;
  }

  // ---- header literal ----

  /**
   * Parses the Python literal in a header: dicts, tuples, lists, strings, integers (with Python 2's
   * {@code L} suffix), True, False and None. Tuples and lists become {@link List}s, integers {@link
   * Long}s.
   */
  private static final class LiteralParser {
    private final String s;
    private int pos;

    LiteralParser(String s) {
      this.s = s;
    }

    Object parseAll() {
      Object v = value();
      skipSpace();
      if (pos != s.length()) {
        throw new IllegalArgumentException("unexpected text at offset " + pos);
      }
      return v;
    }

    private Object value() {
      skipSpace();
      if (pos >= s.length()) {
        throw new IllegalArgumentException("unexpected end");
      }
      char c = s.charAt(pos);
      if (c == '{') {
        return dict();
      }
      if (c == '(') {
        return sequence(')');
      }
      if (c == '[') {
        return sequence(']');
      }
      if (c == '\'' || c == '"') {
        return string();
      }
      if (c == '-' || Character.isDigit(c)) {
        return integer();
      }
      if (s.startsWith("True", pos)) {
        pos += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("False", pos)) {
        pos += 5;
        return Boolean.FALSE;
      }
      if (s.startsWith("None", pos)) {
        pos += 4;
        return null;
      }
      throw new IllegalArgumentException("unexpected '" + c + "' at offset " + pos);
    }

    private Map<Object, Object> dict() {
      Map<Object, Object> m = new LinkedHashMap<>();
      pos++;
      while (true) {
        skipSpace();
        if (peek() == '}') {
          pos++;
          return m;
        }
        Object key = value();
        skipSpace();
        expect(':');
        m.put(key, value());
        skipSpace();
        if (peek() == ',') {
          pos++;
        } else if (peek() != '}') {
          throw new IllegalArgumentException("expected ',' or '}' at offset " + pos);
        }
      }
    }

    private List<Object> sequence(char close) {
      List<Object> list = new ArrayList<>();
      pos++;
      while (true) {
        skipSpace();
        if (peek() == close) {
          pos++;
          return list;
        }
        list.add(value());
        skipSpace();
        if (peek() == ',') {
          pos++;
        } else if (peek() != close) {
          throw new IllegalArgumentException("expected ',' or '" + close + "' at offset " + pos);
        }
      }
    }

    private String string() {
      char quote = s.charAt(pos++);
      StringBuilder b = new StringBuilder();
      while (pos < s.length() && s.charAt(pos) != quote) {
        char c = s.charAt(pos++);
        if (c == '\\' && pos < s.length()) {
          c = s.charAt(pos++);
        }
        b.append(c);
      }
      expect(quote);
      return b.toString();
    }

    private Long integer() {
      int start = pos;
      if (peek() == '-') {
        pos++;
      }
      while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
        pos++;
      }
      String digits = s.substring(start, pos);
      if (peek() == 'L' || peek() == 'l') {
        pos++; // Python 2 long
      }
      try {
        return Long.parseLong(digits);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad integer '" + digits + "' at offset " + start, e);
      }
    }

    private void expect(char c) {
      if (peek() != c) {
        throw new IllegalArgumentException("expected '" + c + "' at offset " + pos);
      }
      pos++;
    }

    private char peek() {
      return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void skipSpace() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }
  }
}
