package io.megastream.cli;

/** Exit codes of every {@code megastream} command; scripts may rely on them. */
public final class ExitCodes {

  /** Success: everything read was delivered (or dropped/rejected as reported). */
  public static final int OK = 0;

  /** An unexpected error (a bug or an environment problem); see the log. */
  public static final int FAILURE = 1;

  /** Invalid command line or configuration. */
  public static final int USAGE = 2;

  /**
   * An input could not be read: missing file, unreachable camera, lost live stream, a model file.
   */
  public static final int SOURCE_UNAVAILABLE = 3;

  /** Kafka unreachable, topic missing, or records not delivered. */
  public static final int KAFKA_UNAVAILABLE = 4;

  /** Interrupted before finishing (SIGINT while not stoppable cleanly). */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {}
}
