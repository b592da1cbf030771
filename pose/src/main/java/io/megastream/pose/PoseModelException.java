package io.megastream.pose;

/** The landmark model cannot be loaded: missing from the jar, corrupt, or not a BlazePose model. */
public final class PoseModelException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public PoseModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
