package io.megastream.recover.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A small HTTP endpoint (the JDK's server) for orchestration and scraping: {@code /health/live} and
 * {@code /health/ready} answer 200 or 503, {@code /metrics} serves the Prometheus text format.
 * Thread-safe.
 */
public final class HealthServer implements AutoCloseable {

  private final HttpServer server;

  /**
   * Starts serving on {@code host:port} (port 0 picks a free one).
   *
   * @throws IOException if the port cannot be bound
   */
  public HealthServer(
      String host,
      int port,
      BooleanSupplier live,
      BooleanSupplier ready,
      Supplier<String> prometheus)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 16);
    server.createContext("/health/live", ex -> status(ex, live.getAsBoolean()));
    server.createContext("/health/ready", ex -> status(ex, ready.getAsBoolean()));
    server.createContext(
        "/metrics",
        ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", prometheus.get()));
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "recover-health");
              t.setDaemon(true);
              return t;
            }));
    server.start();
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void status(HttpExchange ex, boolean ok) throws IOException {
    respond(ex, ok ? 200 : 503, "text/plain; charset=utf-8", ok ? "UP\n" : "DOWN\n");
  }

  private static void respond(HttpExchange ex, int code, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
