package io.megastream.ingest.source;

/** A camera source could not be opened (missing file, unreachable URL, absent device). */
public class SourceUnavailableException extends Exception {

  private static final long serialVersionUID = 1L;

  public SourceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
