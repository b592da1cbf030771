package io.megastream.sink.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Whole responses for the sink's small HTTP servers (the JDK's). Stateless. */
public final class HttpResponses {

  private HttpResponses() {}

  /** Sends {@code body} with its content type; a 204 goes without a body. */
  public static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, code == 204 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      if (code != 204) {
        out.write(body);
      }
    }
  }

  /** Sends a text body as UTF-8. */
  public static void send(HttpExchange ex, int code, String type, String body) throws IOException {
    send(ex, code, type, body.getBytes(StandardCharsets.UTF_8));
  }
}
