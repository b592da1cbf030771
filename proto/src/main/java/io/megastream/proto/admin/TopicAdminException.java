package io.megastream.proto.admin;

/** Topics could not be created or did not become writable. */
public class TopicAdminException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TopicAdminException(String message, Throwable cause) {
    super(message, cause);
  }
}
