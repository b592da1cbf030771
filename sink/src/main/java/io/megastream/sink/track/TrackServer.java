package io.megastream.sink.track;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.megastream.sink.internal.HttpResponses;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Executors;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * The track views over HTTP (interactive queries on this instance): {@code GET /cameras} every
 * camera's statistics, {@code GET /cameras/<camera>/tracks} its tracks' smoothed 3D joints, as
 * JSON. 503 while the stores are not queryable (rebalancing, restoring). Thread-safe.
 */
public final class TrackServer implements AutoCloseable {

  private final HttpServer server;
  private final TrackApp app;

  /** Starts serving on {@code host:port} (0 picks a free port). */
  public TrackServer(TrackApp app, String host, int port) throws IOException {
    this.app = app;
    server = HttpServer.create(new InetSocketAddress(host, port), 16);
    server.createContext("/cameras", this::handle);
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "megastream-tracks-http");
              t.setDaemon(true);
              return t;
            }));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    String[] path = ex.getRequestURI().getPath().split("/"); // "", "cameras", camera, "tracks"
    try {
      if (path.length == 2) {
        send(ex, 200, cameras().toString());
      } else if (path.length == 4 && path[3].equals("tracks")) {
        send(ex, 200, tracks(path[2]).toString());
      } else {
        send(ex, 404, "{\"error\":\"GET /cameras or /cameras/<camera>/tracks\"}");
      }
    } catch (InvalidStateStoreException e) {
      send(ex, 503, "{\"error\":\"stores not queryable yet: " + e.getMessage() + "\"}");
    }
  }

  private JsonArray cameras() {
    JsonArray a = new JsonArray();
    for (Map.Entry<String, CameraStats> e : app.cameras().entrySet()) {
      CameraStats s = e.getValue();
      JsonObject o = new JsonObject();
      o.addProperty("camera", e.getKey());
      o.addProperty("persons", s.persons());
      o.addProperty("empty_frames", s.emptyFrames());
      add(o, "persons_per_second", s.personsPerSecond());
      add(o, "stochastic_share", s.stochasticShare());
      add(o, "mean_uncertainty_signal", s.meanSignal());
      a.add(o);
    }
    return a;
  }

  private JsonArray tracks(String camera) {
    JsonArray a = new JsonArray();
    for (Map.Entry<Long, TrackJoints> e : app.tracks(camera).entrySet()) {
      JsonObject o = new JsonObject();
      o.addProperty("track", e.getKey());
      o.addProperty("last_seq", e.getValue().lastSeq());
      o.addProperty("updates", e.getValue().updates());
      JsonArray j = new JsonArray();
      for (float v : e.getValue().joints3d()) {
        j.add(Math.round(v * 1e4) / 1e4);
      }
      o.add("joints_3d", j);
      a.add(o);
    }
    return a;
  }

  private static void add(JsonObject o, String name, double v) {
    if (Double.isFinite(v)) {
      o.addProperty(name, v);
    }
  }

  private static void send(HttpExchange ex, int code, String json) throws IOException {
    HttpResponses.send(ex, code, "application/json", json);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
