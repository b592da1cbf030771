package io.megastream.proto.serde;

import io.megastream.proto.DeadLetterReason;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that cannot be accepted as the message a topic carries. The {@link #reason()} is what goes
 * into the {@code dead-letter} record; the message says what was expected and what was found.
 */
public class RecordRejectedException extends SerializationException {

  private static final long serialVersionUID = 1L;

  private final DeadLetterReason reason;

  public RecordRejectedException(DeadLetterReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public RecordRejectedException(DeadLetterReason reason, String message) {
    this(reason, message, null);
  }

  /** Why the record was rejected, as recorded on the dead-letter topic. */
  public DeadLetterReason reason() {
    return reason;
  }
}
