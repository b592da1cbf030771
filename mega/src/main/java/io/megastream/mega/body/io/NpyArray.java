package io.megastream.mega.body.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One NumPy array in row-major (C) order: its element type, its shape and its values. Values are
 * held in the type's own Java array and converted on request by {@link #toDoubles()}, {@link
 * #toFloats()}, {@link #toInts()} and {@link #toLongs()}, which always return fresh copies.
 *
 * <p>A class rather than a record because a record would hand out its arrays and compare them by
 * identity. Immutable and thread-safe.
 */
public final class NpyArray {

  private final NpyDtype dtype;
  private final int[] shape;
  private final Object data;

  private NpyArray(NpyDtype dtype, int[] shape, Object data, int length) {
    this.dtype = Objects.requireNonNull(dtype, "dtype");
    this.shape = shape.clone();
    long size = 1;
    for (int d : this.shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + shapeString(shape));
      }
      size *= d;
    }
    if (size != length) {
      throw new IllegalArgumentException(
          "shape " + shapeString(shape) + " needs " + size + " values, got " + length);
    }
    this.data = data;
  }

  /** A {@code float64} array; the values are copied. */
  public static NpyArray ofDoubles(double[] values, int... shape) {
    return new NpyArray(NpyDtype.FLOAT64, shape, values.clone(), values.length);
  }

  /** A {@code float32} array; the values are copied. */
  public static NpyArray ofFloats(float[] values, int... shape) {
    return new NpyArray(NpyDtype.FLOAT32, shape, values.clone(), values.length);
  }

  /** An {@code int32} array; the values are copied. */
  public static NpyArray ofInts(int[] values, int... shape) {
    return new NpyArray(NpyDtype.INT32, shape, values.clone(), values.length);
  }

  /** An {@code int64} array; the values are copied. */
  public static NpyArray ofLongs(long[] values, int... shape) {
    return new NpyArray(NpyDtype.INT64, shape, values.clone(), values.length);
  }

  /**
   * A {@code uint32} array.
   *
   * @throws IllegalArgumentException if a value is outside 0..4294967295
   */
  public static NpyArray ofUint32(long[] values, int... shape) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0 || values[i] > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("uint32 value out of range: " + values[i]);
      }
      bits[i] = (int) values[i];
    }
    return new NpyArray(NpyDtype.UINT32, shape, bits, bits.length);
  }

  /**
   * A {@code uint8} array.
   *
   * @throws IllegalArgumentException if a value is outside 0..255
   */
  public static NpyArray ofUint8(int[] values, int... shape) {
    byte[] bits = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0 || values[i] > 255) {
        throw new IllegalArgumentException("uint8 value out of range: " + values[i]);
      }
      bits[i] = (byte) values[i];
    }
    return new NpyArray(NpyDtype.UINT8, shape, bits, bits.length);
  }

  /** A {@code bool} array. */
  public static NpyArray ofBooleans(boolean[] values, int... shape) {
    byte[] bits = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = (byte) (values[i] ? 1 : 0);
    }
    return new NpyArray(NpyDtype.BOOL, shape, bits, bits.length);
  }

  /** Wraps storage read from a file without copying (the reader hands it over). */
  static NpyArray wrap(NpyDtype dtype, int[] shape, Object storage) {
    return new NpyArray(dtype, shape, storage, java.lang.reflect.Array.getLength(storage));
  }

  /** The storage array itself, for the writer: must not be modified or leaked. */
  Object storage() {
    return data;
  }

  public NpyDtype dtype() {
    return dtype;
  }

  /** The shape (a copy); empty for a scalar. */
  public int[] shape() {
    return shape.clone();
  }

  /** Number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** The length along one axis. */
  public int dim(int axis) {
    return shape[axis];
  }

  /** Number of elements. */
  public int size() {
    return java.lang.reflect.Array.getLength(data);
  }

  /** The values as doubles (exact except for 64-bit integers beyond 2^53). */
  public double[] toDoubles() {
    int n = size();
    double[] out = new double[n];
    if (data instanceof double[] a) {
      System.arraycopy(a, 0, out, 0, n);
    } else if (data instanceof float[] a) {
      for (int i = 0; i < n; i++) {
        out[i] = a[i];
      }
    } else {
      for (int i = 0; i < n; i++) {
        out[i] = longAt(i);
      }
    }
    return out;
  }

  /** The values as floats (rounded to nearest for {@code float64} and wide integers). */
  public float[] toFloats() {
    int n = size();
    float[] out = new float[n];
    if (data instanceof float[] a) {
      System.arraycopy(a, 0, out, 0, n);
    } else if (data instanceof double[] a) {
      for (int i = 0; i < n; i++) {
        out[i] = (float) a[i];
      }
    } else {
      for (int i = 0; i < n; i++) {
        out[i] = longAt(i);
      }
    }
    return out;
  }

  /**
   * The values as ints.
   *
   * @throws ArithmeticException if a value is not a whole number in the int range
   */
  public int[] toInts() {
    int n = size();
    int[] out = new int[n];
    if (data instanceof int[] a && dtype == NpyDtype.INT32) {
      System.arraycopy(a, 0, out, 0, n);
      return out;
    }
    long[] longs = toLongs();
    for (int i = 0; i < n; i++) {
      out[i] = Math.toIntExact(longs[i]);
    }
    return out;
  }

  /**
   * The values as longs; {@code uint32} values come out unsigned.
   *
   * @throws ArithmeticException if a floating-point value is not a whole number in the long range
   */
  public long[] toLongs() {
    int n = size();
    long[] out = new long[n];
    if (dtype.isFloatingPoint()) {
      double[] d = toDoubles();
      for (int i = 0; i < n; i++) {
        // 2^63 itself is out of range, and is the first double past Long.MAX_VALUE
        if (d[i] != Math.rint(d[i]) || d[i] < -0x1p63 || d[i] >= 0x1p63) {
          throw new ArithmeticException("value " + d[i] + " at index " + i + " is not an integer");
        }
        out[i] = (long) d[i];
      }
      return out;
    }
    for (int i = 0; i < n; i++) {
      out[i] = longAt(i);
    }
    return out;
  }

  private long longAt(int i) {
    return switch (dtype) {
      case INT64 -> ((long[]) data)[i];
      case INT32 -> ((int[]) data)[i];
      case UINT32 -> Integer.toUnsignedLong(((int[]) data)[i]);
      case UINT8 -> Byte.toUnsignedInt(((byte[]) data)[i]);
      case BOOL -> ((byte[]) data)[i] != 0 ? 1 : 0;
      case FLOAT64, FLOAT32 -> throw new IllegalStateException("not an integer type: " + dtype);
    };
  }

  /** NumPy's spelling of a shape: {@code ()}, {@code (3,)}, {@code (2, 3)}. */
  static String shapeString(int[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      b.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return b.append(')').toString();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof NpyArray other)
        || dtype != other.dtype
        || !Arrays.equals(shape, other.shape)) {
      return false;
    }
    return switch (dtype) {
      case FLOAT64 -> Arrays.equals((double[]) data, (double[]) other.data);
      case FLOAT32 -> Arrays.equals((float[]) data, (float[]) other.data);
      case INT64 -> Arrays.equals((long[]) data, (long[]) other.data);
      case INT32, UINT32 -> Arrays.equals((int[]) data, (int[]) other.data);
      case UINT8, BOOL -> Arrays.equals((byte[]) data, (byte[]) other.data);
    };
  }

  @Override
  public int hashCode() {
    int h =
        switch (dtype) {
          case FLOAT64 -> Arrays.hashCode((double[]) data);
          case FLOAT32 -> Arrays.hashCode((float[]) data);
          case INT64 -> Arrays.hashCode((long[]) data);
          case INT32, UINT32 -> Arrays.hashCode((int[]) data);
          case UINT8, BOOL -> Arrays.hashCode((byte[]) data);
        };
    return (dtype.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + h;
  }

  @Override
  public String toString() {
    return "NpyArray[" + dtype + " " + shapeString(shape) + "]";
  }
}
