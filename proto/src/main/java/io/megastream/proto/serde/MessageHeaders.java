package io.megastream.proto.serde;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Record headers MegaStream writes next to every value: the full protobuf type name and the schema
 * major version. Readers use them to tell a foreign record from a corrupt one before parsing;
 * records without them (written by other tools) are still read.
 */
public final class MessageHeaders {

  /** Full protobuf name of the value, e.g. {@code megastream.v1.Frame}. */
  public static final String TYPE = "megastream.type";

  /** Schema major version of the value, decimal. */
  public static final String SCHEMA_VERSION = "megastream.schema";

  private MessageHeaders() {}

  static String lastString(Headers headers, String key) {
    if (headers == null) {
      return null;
    }
    Header h = headers.lastHeader(key);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  static void put(Headers headers, String key, String value) {
    headers.remove(key);
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
