package io.megastream.proto.deadletter;

import com.google.protobuf.ByteString;
import io.megastream.proto.DeadLetter;
import io.megastream.proto.DeadLetterReason;
import io.megastream.proto.SchemaVersions;
import io.megastream.proto.serde.RecordRejectedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Builds {@link DeadLetter} records the same way in every stage. Thread-safe (stateless). */
public final class DeadLetters {

  private DeadLetters() {}

  /** A dead letter for something that never reached Kafka (e.g. a corrupt camera frame). */
  public static DeadLetter.Builder of(String stage, DeadLetterReason reason, String detail) {
    return DeadLetter.newBuilder()
        .setSchemaVersion(SchemaVersions.CURRENT)
        .setStage(stage)
        .setReason(reason)
        .setDetail(detail)
        .setTimeMs(System.currentTimeMillis());
  }

  /**
   * Where a rejected record was read: its coordinates, key, value and headers (key, value and
   * headers may be null).
   */
  public record Source(
      String topic,
      int partition,
      long offset,
      long timestampMs,
      byte[] key,
      byte[] value,
      Iterable<Header> headers) {}

  /**
   * A dead letter for a consumed record that was rejected; carries the record's coordinates, key,
   * value and headers so it can be replayed after a fix.
   */
  public static DeadLetter.Builder of(
      String stage, ConsumerRecord<byte[], byte[]> record, Throwable error) {
    return of(
        stage,
        new Source(
            record.topic(),
            record.partition(),
            record.offset(),
            record.timestamp(),
            record.key(),
            record.value(),
            record.headers()),
        error);
  }

  /** The same for a record known by its coordinates (e.g. inside a Kafka Streams processor). */
  public static DeadLetter.Builder of(String stage, Source record, Throwable error) {
    DeadLetterReason reason =
        error instanceof RecordRejectedException r
            ? r.reason()
            : DeadLetterReason.DEAD_LETTER_REASON_PROCESSING_FAILED;
    DeadLetter.Builder b =
        of(stage, reason, String.valueOf(error.getMessage()))
            .setErrorClass(error.getClass().getName())
            .setSourceTopic(record.topic())
            .setSourcePartition(record.partition())
            .setSourceOffset(record.offset())
            .setSourceTimestampMs(record.timestampMs());
    if (record.key() != null) {
      b.setSourceKey(ByteString.copyFrom(record.key()));
    }
    if (record.value() != null) {
      b.setSourceValue(ByteString.copyFrom(record.value()))
          .setSourceValueSize(record.value().length);
    }
    if (record.headers() != null) {
      for (Header h : record.headers()) {
        if (h.value() != null) {
          b.putSourceHeaders(h.key(), ByteString.copyFrom(h.value()));
        }
      }
    }
    return b;
  }
}
