package io.megastream.ingest;

/**
 * How an ingest run ended.
 *
 * @param outcome the overall outcome; the CLI maps it to an exit code
 * @param message a one-line explanation for the terminal
 * @param stats the final counters
 */
public record IngestResult(Outcome outcome, String message, IngestStats stats) {

  /** Outcomes, worst last. */
  public enum Outcome {
    /** Every frame read was delivered (or dropped/rejected as reported). */
    COMPLETED,
    /** Stopped on request (Ctrl-C) after delivering what was read. */
    STOPPED,
    /** A source could not be opened, or a live source was lost for good. */
    SOURCE_UNAVAILABLE,
    /** Frames could not be delivered to Kafka. */
    DELIVERY_FAILED
  }

  public boolean ok() {
    return outcome == Outcome.COMPLETED || outcome == Outcome.STOPPED;
  }
}
