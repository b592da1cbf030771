package io.megastream.mega.body.io;

import java.nio.ByteOrder;

/**
 * The NumPy element types MegaStream reads and writes. Byte order is a property of the file, not of
 * the type: every multi-byte type is read in either order.
 */
public enum NpyDtype {
  /** {@code f8}: 64-bit IEEE float, held as {@code double[]}. */
  FLOAT64('f', 8),
  /** {@code f4}: 32-bit IEEE float, held as {@code float[]}. */
  FLOAT32('f', 4),
  /** {@code i8}: signed 64-bit integer, held as {@code long[]}. */
  INT64('i', 8),
  /** {@code i4}: signed 32-bit integer, held as {@code int[]}. */
  INT32('i', 4),
  /** {@code u4}: unsigned 32-bit integer, held as {@code int[]} bit patterns. */
  UINT32('u', 4),
  /** {@code u1}: unsigned byte, held as {@code byte[]} bit patterns. */
  UINT8('u', 1),
  /** {@code b1}: boolean, held as {@code byte[]} of 0 and 1. */
  BOOL('b', 1);

  private final char kind;
  private final int itemSize;

  NpyDtype(char kind, int itemSize) {
    this.kind = kind;
    this.itemSize = itemSize;
  }

  /** Bytes per element. */
  public int itemSize() {
    return itemSize;
  }

  /** NumPy's type string in the given byte order, e.g. {@code <f8}, {@code >i4}, {@code |u1}. */
  public String descr(ByteOrder order) {
    char prefix = itemSize == 1 ? '|' : order == ByteOrder.BIG_ENDIAN ? '>' : '<';
    return "" + prefix + kind + itemSize;
  }

  /** Whether the values are floating point. */
  public boolean isFloatingPoint() {
    return kind == 'f';
  }

  /** The type with NumPy's kind character and item size, or null if MegaStream has none. */
  static NpyDtype of(char kind, int itemSize) {
    for (NpyDtype t : values()) {
      if (t.kind == kind && t.itemSize == itemSize) {
        return t;
      }
    }
    return null;
  }
}
