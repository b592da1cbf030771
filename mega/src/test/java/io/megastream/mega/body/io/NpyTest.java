package io.megastream.mega.body.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NpyTest {

  /**
   * {@code np.save(f, np.asfortranarray(np.array([[1, 2, 3], [4, 5, 6]], '<f4')))}, by NumPy 2.4.6.
   */
  private static final String NUMPY_FORTRAN_F4 =
      "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyks"
          + "IH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/"
          + "AACAQAAAAEAAAKBAAABAQAAAwEA=";

  @TempDir Path dir;

  static Stream<Arguments> everyDtypeAndByteOrder() {
    int[] shape = {2, 3, 2};
    return Stream.of(
        Arguments.of(
            NpyArray.ofDoubles(
                new double[] {
                  0,
                  -0.0,
                  1.5,
                  -2.25,
                  Double.MAX_VALUE,
                  Double.MIN_VALUE,
                  Double.NaN,
                  Double.POSITIVE_INFINITY,
                  Double.NEGATIVE_INFINITY,
                  1e-300,
                  Math.PI,
                  -7
                },
                shape),
            "f8"),
        Arguments.of(
            NpyArray.ofFloats(
                new float[] {
                  0,
                  -0.0f,
                  1.5f,
                  -2.25f,
                  Float.MAX_VALUE,
                  Float.MIN_VALUE,
                  Float.NaN,
                  Float.POSITIVE_INFINITY,
                  Float.NEGATIVE_INFINITY,
                  1e-30f,
                  (float) Math.PI,
                  -7
                },
                shape),
            "f4"),
        Arguments.of(
            NpyArray.ofInts(
                new int[] {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 7, 8, 9, 10, 11, 12, 13},
                shape),
            "i4"),
        Arguments.of(
            NpyArray.ofLongs(
                new long[] {
                  0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40, 8, 9, 10, 11, 12, 13
                },
                shape),
            "i8"),
        Arguments.of(
            NpyArray.ofUint32(
                new long[] {0, 1, 4294967295L, 2147483648L, 5, 6, 7, 8, 9, 10, 11, 12}, shape),
            "u4"),
        Arguments.of(
            NpyArray.ofUint8(new int[] {0, 1, 127, 128, 255, 6, 7, 8, 9, 10, 11, 12}, shape), "u1"),
        Arguments.of(
            NpyArray.ofBooleans(
                new boolean[] {
                  true, false, true, true, false, false, true, false, true, false, true, true
                },
                shape),
            "b1"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("everyDtypeAndByteOrder")
  void shouldReadBackEveryDtypeInBothByteOrdersAndAllVersions(NpyArray array, String type)
      throws IOException {
    for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      for (int version = 1; version <= 3; version++) {
        // Given
        Npy.WriteOptions options =
            Npy.WriteOptions.DEFAULT.withByteOrder(order).withVersion(version);
        byte[] bytes = write(array, options);

        // When
        NpyArray back = Npy.read(new ByteArrayInputStream(bytes), "test");

        // Then
        String expectedDescr =
            type.endsWith("1") ? "|" + type : (order == ByteOrder.BIG_ENDIAN ? ">" : "<") + type;
        assertThat(header(bytes)).contains("'descr': '" + expectedDescr + "'");
        assertThat(bytes[6]).isEqualTo((byte) version);
        assertThat(back).as("%s %s v%d", type, order, version).isEqualTo(array);
        assertThat(back.shape()).containsExactly(2, 3, 2);
      }
    }
  }

  @Test
  void shouldWriteNumPysHeaderLayoutAlignedToSixtyFourBytes() throws IOException {
    // Given
    NpyArray array = NpyArray.ofDoubles(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);

    // When
    byte[] bytes = write(array, Npy.WriteOptions.DEFAULT);

    // Then
    assertThat(Arrays.copyOf(bytes, 8)).containsExactly((byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0);
    int headerEnd = 10 + (bytes[8] & 0xFF) + ((bytes[9] & 0xFF) << 8);
    assertThat(headerEnd % 64).isZero();
    assertThat(bytes[headerEnd - 1]).isEqualTo((byte) '\n');
    assertThat(header(bytes))
        .startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }");
    assertThat(bytes).hasSize(headerEnd + 6 * 8);
  }

  @Test
  void shouldStoreFortranOrderColumnMajorAndReadItBackRowMajor() throws IOException {
    // Given a 2 x 3 x 2 array holding 0..11 in row-major order
    int[] values = new int[12];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }
    NpyArray array = NpyArray.ofInts(values, 2, 3, 2);

    // When
    byte[] bytes = write(array, Npy.WriteOptions.DEFAULT.withFortranOrder(true));
    NpyArray back = Npy.read(new ByteArrayInputStream(bytes), "test");

    // Then the file lists the first axis fastest: a[0,0,0], a[1,0,0], a[0,1,0], ...
    assertThat(header(bytes)).contains("'fortran_order': True");
    int data = bytes.length - 12 * 4;
    int[] stored = new int[12];
    for (int i = 0; i < 12; i++) {
      stored[i] = bytes[data + i * 4];
    }
    assertThat(stored).containsExactly(0, 6, 2, 8, 4, 10, 1, 7, 3, 9, 5, 11);
    assertThat(back).isEqualTo(array);
  }

  @Test
  void shouldReadAFortranOrderedFileWrittenByNumPy() throws IOException {
    // Given
    byte[] bytes = Base64.getDecoder().decode(NUMPY_FORTRAN_F4);

    // When
    NpyArray array = Npy.read(new ByteArrayInputStream(bytes), "numpy");

    // Then
    assertThat(array.dtype()).isEqualTo(NpyDtype.FLOAT32);
    assertThat(array.shape()).containsExactly(2, 3);
    assertThat(array.toFloats()).containsExactly(1, 2, 3, 4, 5, 6);
  }

  @Test
  void shouldReadAPython2HeaderWithLongIntegersAndDoubleQuotes() throws IOException {
    // Given a header as NumPy under Python 2 wrote it
    byte[] bytes =
        rawNpy("{\"descr\": \"<i4\", \"fortran_order\": False, \"shape\": (2L, 1L)}", 1, 8);
    bytes[bytes.length - 8] = 7;
    bytes[bytes.length - 4] = 9;

    // When
    NpyArray array = Npy.read(new ByteArrayInputStream(bytes), "old");

    // Then
    assertThat(array.shape()).containsExactly(2, 1);
    assertThat(array.toInts()).containsExactly(7, 9);
  }

  @Test
  void shouldHandleScalarsAndEmptyArrays() throws IOException {
    // Given
    NpyArray scalar = NpyArray.ofDoubles(new double[] {3.25});
    NpyArray empty = NpyArray.ofFloats(new float[0], 0, 3);

    // When
    NpyArray scalarBack = roundTrip(scalar);
    NpyArray emptyBack = roundTrip(empty);

    // Then
    assertThat(scalarBack.rank()).isZero();
    assertThat(scalarBack.toDoubles()).containsExactly(3.25);
    assertThat(emptyBack.shape()).containsExactly(0, 3);
    assertThat(emptyBack.size()).isZero();
  }

  @Test
  void shouldReadAndWriteFiles() throws IOException {
    // Given
    Path file = dir.resolve("a.npy");
    NpyArray array = NpyArray.ofLongs(new long[] {1, 2, 3}, 3);

    // When
    Npy.write(file, array);

    // Then
    assertThat(Npy.read(file)).isEqualTo(array);
  }

  @Test
  void shouldConvertBetweenElementTypesExactlyOrRefuse() {
    // Given
    NpyArray unsigned = NpyArray.ofUint32(new long[] {4294967295L, 3}, 2);
    NpyArray whole = NpyArray.ofDoubles(new double[] {2, -3}, 2);
    NpyArray fractional = NpyArray.ofDoubles(new double[] {2.5}, 1);

    // Then
    assertThat(unsigned.toLongs()).containsExactly(4294967295L, 3);
    assertThat(unsigned.toDoubles()).containsExactly(4294967295.0, 3);
    assertThatThrownBy(unsigned::toInts).isInstanceOf(ArithmeticException.class);
    assertThat(whole.toInts()).containsExactly(2, -3);
    assertThatThrownBy(fractional::toLongs)
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("2.5");
    assertThat(NpyArray.ofBooleans(new boolean[] {true, false}, 2).toFloats())
        .containsExactly(1f, 0f);
  }

  @Test
  void shouldRefuseValuesAndShapesThatDoNotFit() {
    assertThatThrownBy(() -> NpyArray.ofDoubles(new double[5], 2, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs 6 values, got 5");
    assertThatThrownBy(() -> NpyArray.ofUint8(new int[] {256}, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NpyArray.ofUint32(new long[] {-1}, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- rejections ----

  @ParameterizedTest
  @ValueSource(ints = {0, 4, 9, 40, 127, 148, 159})
  void shouldRejectAFileCutAnywhere(int keep) throws IOException {
    // Given a 2 x 2 float64 array (128 header bytes, 32 data bytes) cut after `keep` bytes
    byte[] full =
        write(NpyArray.ofDoubles(new double[] {1, 2, 3, 4}, 2, 2), Npy.WriteOptions.DEFAULT);
    byte[] cut = Arrays.copyOf(full, keep);

    // When
    Throwable thrown = catchThrowable(() -> Npy.read(new ByteArrayInputStream(cut), "cut.npy"));

    // Then
    assertThat(full).hasSize(160);
    assertThat(thrown)
        .isInstanceOf(BodyModelFormatException.class)
        .hasMessageStartingWith("cut.npy: ")
        .hasMessageContaining("truncated");
  }

  @Test
  void shouldRejectTruncatedDataNamingTheByteCounts() {
    // Given
    byte[] bytes = rawNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", 1, 20);

    // When / Then
    assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(bytes), "x.npy"))
        .isInstanceOf(BodyModelFormatException.class)
        .hasMessage(
            "x.npy: truncated: <f8 array of shape (2, 2) needs 32 data bytes, only 20 present");
  }

  @Test
  void shouldRejectAFileThatIsNotNpy() {
    byte[] bytes = "PK\u0003\u0004 this is a zip".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(bytes), "x.npy"))
        .isInstanceOf(BodyModelFormatException.class)
        .hasMessageContaining("not a NumPy .npy array");
  }

  @Test
  void shouldRejectAnUnknownFormatVersion() {
    byte[] bytes = rawNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", 4, 8);
    assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(bytes), "x.npy"))
        .isInstanceOf(BodyModelFormatException.class)
        .hasMessageContaining("unsupported .npy format version 4.0");
  }

  @Test
  void shouldRejectPickledObjectArraysSayingWhy() {
    // Given
    byte[] bytes = SyntheticSmpl.pickledObjectNpy("(3,)");

    // When
    Throwable thrown = catchThrowable(() -> Npy.read(new ByteArrayInputStream(bytes), "x.npy"));

    // Then
    assertThat(thrown)
        .isInstanceOf(BodyModelFormatException.class)
        .hasMessageContaining("x.npy")
        .hasMessageContaining("Python objects (dtype |O)")
        .hasMessageContaining("pickle")
        .hasMessageContaining("does not unpickle");
  }

  @ParameterizedTest
  @ValueSource(strings = {"<U10", "<c16", "<f2", "=f8", "|f8", "<M8[ns]", "|S3"})
  void shouldRejectUnsupportedDtypesNamingThem(String descr) {
    byte[] bytes =
        rawNpy("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (1,), }", 1, 16);
    assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(bytes), "x.npy"))
        .isInstanceOf(BodyModelFormatException.class)
        .hasMessageContaining("unsupported dtype '" + descr + "'");
  }

  @Test
  void shouldRejectStructuredDtypes() {
    byte[] bytes =
        rawNpy(
            "{'descr': [('x', '<f4'), ('y', '<f4')], 'fortran_order': False, 'shape': (1,), }",
            1,
            8);
    assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(bytes), "x.npy"))
        .isInstanceOf(BodyModelFormatException.class)
        .hasMessageContaining("structured");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{'descr': '<f8', 'shape': (1,), }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1,) ",
        "not a dict at all"
      })
  void shouldRejectCorruptHeaders(String header) {
    byte[] bytes = rawNpy(header, 1, 8);
    assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(bytes), "x.npy"))
        .isInstanceOf(BodyModelFormatException.class)
        .hasMessageContaining("corrupt header");
  }

  // ---- helpers ----

  private static byte[] write(NpyArray array, Npy.WriteOptions options) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, array, options);
    return out.toByteArray();
  }

  private static NpyArray roundTrip(NpyArray array) throws IOException {
    return Npy.read(new ByteArrayInputStream(write(array, Npy.WriteOptions.DEFAULT)), "round trip");
  }

  private static String header(byte[] npy) {
    int start = npy[6] == 1 ? 10 : 12;
    int length =
        npy[6] == 1
            ? (npy[8] & 0xFF) | (npy[9] & 0xFF) << 8
            : (npy[8] & 0xFF) | (npy[9] & 0xFF) << 8 | (npy[10] & 0xFF) << 16;
    return new String(npy, start, length, StandardCharsets.UTF_8);
  }

  /** A version-1/2-layout file with the given header text and {@code dataBytes} zero bytes. */
  private static byte[] rawNpy(String header, int version, int dataBytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
    byte[] text = (header + "\n").getBytes(StandardCharsets.ISO_8859_1);
    out.write(text.length & 0xFF);
    out.write(text.length >> 8);
    out.writeBytes(text);
    out.writeBytes(new byte[dataBytes]);
    return out.toByteArray();
  }
}
