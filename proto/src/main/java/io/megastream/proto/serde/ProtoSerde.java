package io.megastream.proto.serde;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.megastream.proto.DeadLetterReason;
import io.megastream.proto.SchemaVersions;
import java.lang.reflect.InvocationTargetException;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for one MegaStream protobuf message type. Values are plain protobuf bytes (any
 * protobuf client can read them); headers carry the type name and schema version.
 *
 * <p>Deserializing fails with a {@link RecordRejectedException} whose reason says what was wrong:
 * {@code FOREIGN_TYPE} (headers name another type), {@code MALFORMED} (not parseable, truncated, or
 * no schema version), {@code UNSUPPORTED_VERSION} (a newer major) or {@code INVALID_CONTENT}
 * (parsed, but breaks the contract checked by {@link Validators}). A null value (a tombstone)
 * deserializes to null. Thread-safe.
 *
 * @param <T> the message type
 */
public final class ProtoSerde<T extends Message> implements Serde<T> {

  private final Class<T> type;
  private final Parser<T> parser;
  private final Descriptor descriptor;
  private final FieldDescriptor versionField;
  private final Serializer<T> serializer = new ProtoSerializer();
  private final Deserializer<T> deserializer = new ProtoDeserializer();

  private ProtoSerde(Class<T> type, T defaultInstance) {
    this.type = type;
    @SuppressWarnings("unchecked")
    Parser<T> p = (Parser<T>) defaultInstance.getParserForType();
    this.parser = p;
    this.descriptor = defaultInstance.getDescriptorForType();
    this.versionField = descriptor.findFieldByName("schema_version");
    if (versionField == null || versionField.getNumber() != 1) {
      throw new IllegalArgumentException(
          type.getName() + " has no schema_version as field 1: not a MegaStream message");
    }
  }

  /**
   * Returns a serde for a generated MegaStream message class.
   *
   * @throws IllegalArgumentException if the class is not a generated message with a {@code
   *     schema_version} field number 1
   */
  public static <T extends Message> ProtoSerde<T> of(Class<T> type) {
    Objects.requireNonNull(type, "type");
    try {
      @SuppressWarnings("unchecked")
      T instance = (T) type.getMethod("getDefaultInstance").invoke(null);
      return new ProtoSerde<>(type, instance);
    } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalArgumentException(type.getName() + " is not a generated message", e);
    }
  }

  /** Full protobuf name of the message type, e.g. {@code megastream.v1.Frame}. */
  public String typeName() {
    return descriptor.getFullName();
  }

  /**
   * Parses and checks bytes without Kafka headers.
   *
   * @throws RecordRejectedException if the bytes are not an acceptable message of this type
   */
  public T parse(byte[] bytes) {
    return deserializer.deserialize(null, null, bytes);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }

  private final class ProtoSerializer implements Serializer<T> {
    @Override
    public byte[] serialize(String topic, T data) {
      return data == null ? null : checked(data).toByteArray();
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
      if (data == null) {
        return null;
      }
      T message = checked(data); // before touching the caller's headers
      if (headers != null) {
        MessageHeaders.put(headers, MessageHeaders.TYPE, descriptor.getFullName());
        MessageHeaders.put(
            headers, MessageHeaders.SCHEMA_VERSION, String.valueOf(version(message)));
      }
      return message.toByteArray();
    }

    private T checked(T data) {
      if (!type.isInstance(data)) {
        throw new IllegalArgumentException(
            "expected " + type.getSimpleName() + ", got " + data.getClass().getName());
      }
      long v = version(data);
      if (v == 0 || v > SchemaVersions.CURRENT) {
        throw new IllegalArgumentException(
            descriptor.getName()
                + ".schema_version must be set to SchemaVersions.CURRENT ("
                + SchemaVersions.CURRENT
                + "), was "
                + v);
      }
      return data;
    }
  }

  private long version(Message m) {
    return Integer.toUnsignedLong((Integer) m.getField(versionField));
  }

  private static long parseVersion(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return 0; // unreadable header: fall back to the version inside the message
    }
  }

  private RecordRejectedException unsupported(String where, long version) {
    return new RecordRejectedException(
        DeadLetterReason.DEAD_LETTER_REASON_UNSUPPORTED_VERSION,
        descriptor.getFullName()
            + where
            + " has schema major version "
            + version
            + "; this build reads up to "
            + SchemaVersions.CURRENT
            + ": upgrade the reader");
  }

  private final class ProtoDeserializer implements Deserializer<T> {
    @Override
    public T deserialize(String topic, byte[] data) {
      return deserialize(topic, null, data);
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
      if (data == null) {
        return null;
      }
      String where = topic == null ? "" : " on topic '" + topic + "'";
      String headerType = MessageHeaders.lastString(headers, MessageHeaders.TYPE);
      if (headerType != null && !headerType.equals(descriptor.getFullName())) {
        throw new RecordRejectedException(
            DeadLetterReason.DEAD_LETTER_REASON_FOREIGN_TYPE,
            "record" + where + " is a " + headerType + ", expected " + descriptor.getFullName());
      }
      String headerVersion = MessageHeaders.lastString(headers, MessageHeaders.SCHEMA_VERSION);
      if (headerVersion != null && parseVersion(headerVersion) > SchemaVersions.CURRENT) {
        throw unsupported(where, parseVersion(headerVersion));
      }
      T message;
      try {
        message = parser.parseFrom(data);
      } catch (InvalidProtocolBufferException e) {
        throw new RecordRejectedException(
            DeadLetterReason.DEAD_LETTER_REASON_MALFORMED,
            "record"
                + where
                + " ("
                + data.length
                + " bytes) is not a valid "
                + descriptor.getFullName()
                + ": "
                + e.getMessage(),
            e);
      }
      for (int number : message.getUnknownFields().asMap().keySet()) {
        if (descriptor.findFieldByNumber(number) != null) {
          // a known field number with the wrong wire type: bytes of some other message
          throw new RecordRejectedException(
              DeadLetterReason.DEAD_LETTER_REASON_FOREIGN_TYPE,
              "record"
                  + where
                  + " is not a "
                  + descriptor.getFullName()
                  + ": field "
                  + number
                  + " ("
                  + descriptor.findFieldByNumber(number).getName()
                  + ") has the wrong wire type");
        }
      }
      long version = version(message);
      if (version == 0) {
        throw new RecordRejectedException(
            DeadLetterReason.DEAD_LETTER_REASON_MALFORMED,
            "record"
                + where
                + " ("
                + data.length
                + " bytes) has no schema_version: not a "
                + descriptor.getFullName()
                + " written by MegaStream");
      }
      if (version > SchemaVersions.CURRENT) {
        throw unsupported(where, version);
      }
      String problem = Validators.check(message);
      if (problem != null) {
        throw new RecordRejectedException(
            DeadLetterReason.DEAD_LETTER_REASON_INVALID_CONTENT,
            descriptor.getFullName() + where + " is invalid: " + problem);
      }
      return message;
    }
  }
}
