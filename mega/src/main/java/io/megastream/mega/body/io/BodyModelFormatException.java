package io.megastream.mega.body.io;

import java.io.IOException;

/**
 * A body-model file (or one array in it) cannot be used: truncated, corrupt, of an unsupported
 * kind, or not shaped as the model needs. The message names the file and, when known, the array.
 */
public class BodyModelFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  private final String file;
  private final String array;

  /**
   * @param file the file (or stream description) being read
   * @param array the array concerned, or null when the problem is with the whole file
   * @param reason what is wrong, in words a user can act on
   */
  public BodyModelFormatException(String file, String array, String reason) {
    this(file, array, reason, null);
  }

  /**
   * @param file the file (or stream description) being read
   * @param array the array concerned, or null when the problem is with the whole file
   * @param reason what is wrong, in words a user can act on
   * @param cause the underlying failure, or null
   */
  public BodyModelFormatException(String file, String array, String reason, Throwable cause) {
    super(file + (array == null ? "" : ": array '" + array + "'") + ": " + reason, cause);
    this.file = file;
    this.array = array;
  }

  /** The file (or stream description) being read. */
  public String file() {
    return file;
  }

  /** The array concerned, or null when the problem is with the whole file. */
  public String array() {
    return array;
  }
}
