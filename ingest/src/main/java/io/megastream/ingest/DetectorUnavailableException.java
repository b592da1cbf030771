package io.megastream.ingest;

/** Ingest cannot start: the person detector's model file is missing or corrupt. */
public class DetectorUnavailableException extends IngestException {

  private static final long serialVersionUID = 1L;

  public DetectorUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
