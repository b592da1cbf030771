package io.megastream.ingest;

/** Ingest cannot start: Kafka unreachable, topic missing, or misconfiguration. */
public class IngestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public IngestException(String message, Throwable cause) {
    super(message, cause);
  }
}
