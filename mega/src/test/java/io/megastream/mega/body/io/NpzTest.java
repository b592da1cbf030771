package io.megastream.mega.body.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzTest {

  /**
   * {@code np.savez_compressed(f, kintree_table=np.array([[4294967295, 0], [0, 1]], '<u4'),
   * x=np.array([1.5, -2.0], '>f8'))}, by NumPy 2.4.6 (which writes Zip64 entries).
   */
  private static final String NUMPY_SAVEZ_COMPRESSED =
      "UEsDBC0AAAAIAAAAIQCvFTY+//////////8RABQAa2ludHJlZV90YWJsZS5ucHkBABAAkAAAAAAAAABOAAAAAAAA"
          + "AJvsF+obEMnIUMZQrZ6SWpxcpG6loG5TaqKuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GkY6CkaaOg"
          + "q1CmQDrv9AwAAFjEAMAFBLAwQtAAAACAAAACEAVwOVH///////////BQAUAHgubnB5AQAQAJAAAAAAAAAATQAAA"
          + "AAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBul2ahrqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RpGOpo6"
          + "CrUKFAAu+x8MYHAAQjEAAFBLAQItAy0AAAAIAAAAIQCvFTY+TgAAAJAAAAARAAAAAAAAAAAAAACAAQAAAABraW"
          + "50cmVlX3RhYmxlLm5weVBLAQItAy0AAAAIAAAAIQBXA5UfTQAAAJAAAAAFAAAAAAAAAAAAAACAAZEAAAB4Lm5we"
          + "VBLBQYAAAAAAgACAHIAAAAVAQAAAAA=";

  @TempDir Path dir;

  @Test
  void shouldReadBackStoredAndDeflatedEntriesOfEveryLayout() throws IOException {
    // Given
    NpyArray a = NpyArray.ofDoubles(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    NpyArray b = NpyArray.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
    NpyArray c = NpyArray.ofUint32(new long[] {4294967295L, 0}, 2);
    Path file = dir.resolve("x.npz");
    try (Npz.Writer w = Npz.writer(file)) {
      w.add("a", a, Npz.Compression.STORED, Npy.WriteOptions.DEFAULT);
      w.add(
          "b",
          b,
          Npz.Compression.DEFLATED,
          Npy.WriteOptions.DEFAULT.withFortranOrder(true).withByteOrder(ByteOrder.BIG_ENDIAN));
      w.add("c", c);
    }

    // When
    try (Npz npz = Npz.open(file)) {

      // Then
      assertThat(npz.names()).containsExactly("a", "b", "c");
      assertThat(npz.contains("b")).isTrue();
      assertThat(npz.get("a")).isEqualTo(a);
      assertThat(npz.get("b")).isEqualTo(b);
      assertThat(npz.get("c")).isEqualTo(c);
    }
    try (ZipFile zip = new ZipFile(file.toFile())) {
      assertThat(zip.getEntry("a.npy").getMethod()).isEqualTo(ZipEntry.STORED);
      assertThat(zip.getEntry("b.npy").getMethod()).isEqualTo(ZipEntry.DEFLATED);
    }
  }

  @Test
  void shouldWriteAMapOfArraysAsSavezCompressedWould() throws IOException {
    // Given
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    arrays.put("v_template", NpyArray.ofDoubles(new double[] {0, 1, 2}, 1, 3));
    arrays.put("f", NpyArray.ofInts(new int[] {0, 0, 0}, 1, 3));
    Path file = dir.resolve("m.npz");

    // When
    Npz.write(file, arrays);

    // Then
    try (Npz npz = Npz.open(file)) {
      assertThat(npz.names()).containsExactlyInAnyOrder("v_template", "f");
      assertThat(npz.get("f")).isEqualTo(arrays.get("f"));
    }
  }

  @Test
  void shouldReadAnArchiveWrittenByNumPy() throws IOException {
    // Given
    Path file = dir.resolve("numpy.npz");
    Files.write(file, Base64.getDecoder().decode(NUMPY_SAVEZ_COMPRESSED));

    // When
    try (Npz npz = Npz.open(file)) {

      // Then
      assertThat(npz.names()).containsExactly("kintree_table", "x");
      NpyArray tree = npz.get("kintree_table");
      assertThat(tree.dtype()).isEqualTo(NpyDtype.UINT32);
      assertThat(tree.toLongs()).containsExactly(4294967295L, 0, 0, 1);
      assertThat(npz.get("x").toDoubles()).containsExactly(1.5, -2.0);
    }
  }

  @Test
  void shouldNameTheMissingArrayAndListThosePresent() throws IOException {
    // Given
    Path file = dir.resolve("x.npz");
    Npz.write(file, Map.of("a", NpyArray.ofInts(new int[] {1}, 1)));

    // When
    Throwable thrown;
    try (Npz npz = Npz.open(file)) {
      thrown = catchThrowable(() -> npz.get("weights"));
    }

    // Then
    assertThat(thrown)
        .isInstanceOf(BodyModelFormatException.class)
        .hasMessage(file + ": array 'weights': missing (the archive holds [a])");
    assertThat(((BodyModelFormatException) thrown).array()).isEqualTo("weights");
  }

  @Test
  void shouldRefuseOnlyThePickledArrayAndStillReadTheOthers() throws IOException {
    // Given
    Path file = dir.resolve("x.npz");
    NpyArray plain = NpyArray.ofFloats(new float[] {1, 2}, 2);
    try (Npz.Writer w = Npz.writer(file)) {
      w.add("plain", plain);
      w.addNpy("meta", SyntheticSmpl.pickledObjectNpy("()"), Npz.Compression.STORED);
    }

    try (Npz npz = Npz.open(file)) {
      // When
      Throwable thrown = catchThrowable(() -> npz.get("meta"));

      // Then
      assertThat(thrown)
          .isInstanceOf(BodyModelFormatException.class)
          .hasMessageStartingWith(file + ": array 'meta': holds Python objects");
      assertThat(npz.get("plain")).isEqualTo(plain);
    }
  }

  @Test
  void shouldRejectATruncatedArchiveNamingTheFile() throws IOException {
    // Given
    Path file = dir.resolve("x.npz");
    Npz.write(file, Map.of("a", NpyArray.ofDoubles(new double[1000], 1000)));
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 30));

    // When
    Throwable thrown = catchThrowable(() -> Npz.open(file).close());

    // Then
    assertThat(thrown)
        .isInstanceOf(BodyModelFormatException.class)
        .hasMessageStartingWith(file + ": not a readable .npz (zip) archive, perhaps truncated");
  }

  @Test
  void shouldRejectAnArrayWhoseEntryWasCutShort() throws IOException {
    // Given an entry holding a 4-element float64 array without its last 24 bytes
    ByteArrayOutputStream npy = new ByteArrayOutputStream();
    Npy.write(npy, NpyArray.ofDoubles(new double[4], 4), Npy.WriteOptions.DEFAULT);
    byte[] cut = Arrays.copyOf(npy.toByteArray(), npy.size() - 24);
    Path file = dir.resolve("x.npz");
    try (Npz.Writer w = Npz.writer(file)) {
      w.addNpy("short", cut, Npz.Compression.DEFLATED);
    }

    // When
    Throwable thrown;
    try (Npz npz = Npz.open(file)) {
      thrown = catchThrowable(() -> npz.get("short"));
    }

    // Then
    assertThat(thrown)
        .isInstanceOf(BodyModelFormatException.class)
        .hasMessage(
            file
                + ": array 'short': truncated: <f8 array of shape (4,) needs 32 data bytes, only 8"
                + " present");
  }

  @Test
  void shouldReportAMissingFileAsSuch() {
    assertThat(catchThrowable(() -> Npz.open(dir.resolve("nope.npz"))))
        .isInstanceOf(NoSuchFileException.class);
  }
}
