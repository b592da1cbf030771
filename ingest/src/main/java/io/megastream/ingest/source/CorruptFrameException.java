package io.megastream.ingest.source;

/** One frame of an otherwise readable source could not be decoded; the next may be fine. */
public class CorruptFrameException extends Exception {

  private static final long serialVersionUID = 1L;

  public CorruptFrameException(String message, Throwable cause) {
    super(message, cause);
  }
}
