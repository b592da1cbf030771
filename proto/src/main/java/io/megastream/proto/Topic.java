package io.megastream.proto;

import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic of the MegaStream data flow with its key and value types. Code refers to topics only
 * through the constants in {@link Topics}, never by raw name.
 *
 * @param name the topic name
 * @param keySerde serde of record keys
 * @param valueSerde serde of record values
 * @param spec default partitions and topic configs used by {@code megastream topics create}
 * @param <K> key type
 * @param <V> value type
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, TopicSpec spec) {

  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
    Objects.requireNonNull(spec, "spec");
    if (name.isBlank()) {
      throw new IllegalArgumentException("topic name must not be blank");
    }
  }

  /**
   * Decodes a record value read as raw bytes, with the same checks as the value deserializer.
   *
   * @throws io.megastream.proto.serde.RecordRejectedException if the bytes are not acceptable
   */
  public V decodeValue(Headers headers, byte[] value) {
    return valueSerde.deserializer().deserialize(name, headers, value);
  }

  /**
   * A record for this topic with key and value serialized by its registry serdes (which also set
   * the type headers), for a producer of bytes; the partition is left to the producer.
   */
  public ProducerRecord<byte[], byte[]> record(K key, V value) {
    RecordHeaders headers = new RecordHeaders();
    byte[] k = keySerde.serializer().serialize(name, headers, key);
    byte[] v = valueSerde.serializer().serialize(name, headers, value);
    return new ProducerRecord<>(name, null, k, v, headers);
  }

  @Override
  public String toString() {
    return name;
  }
}
