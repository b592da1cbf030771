package io.megastream.mega.model;

/** A MEGA model directory is missing, incomplete, corrupt, or made for something else. */
public final class MegaLoadException extends Exception {

  private static final long serialVersionUID = 1L;

  public MegaLoadException(String message) {
    super(message);
  }

  public MegaLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
