package io.megastream.broker;

/** The embedded broker could not be formatted or started. */
public class BrokerStartException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public BrokerStartException(String message) {
    super(message);
  }

  public BrokerStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
