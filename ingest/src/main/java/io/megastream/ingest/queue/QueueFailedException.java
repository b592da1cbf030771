package io.megastream.ingest.queue;

/** The consumer side of a {@link FrameQueue} failed or the queue was closed. */
public class QueueFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public QueueFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
