package io.megastream.sink.view;

import static io.megastream.sink.internal.HttpResponses.send;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.tokenizer.TokenizerLoadException;
import io.megastream.mega.tokenizer.TokenizerModel;
import io.megastream.proto.MeshRecovery;
import io.megastream.sink.decode.DecodedPerson;
import io.megastream.sink.decode.MeshDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code megastream view}: a web page that shows, per camera, the frame a result came from with its
 * 2D joints, and the recovered meshes in 3D (three.js, served from its WebJar), coloured by
 * per-vertex uncertainty when the person was sampled; the samples themselves on request. Results
 * are pushed to the page as server-sent events by a {@link ViewerFeed} through {@link
 * ViewerClients} (bounded per browser, drop-oldest with a counter). The page reports its capture →
 * draw delays back, so {@code /api/stats} shows the end-to-end delay as browsers see it.
 *
 * <p>Routes: {@code /} the page, {@code /api/events} (SSE), {@code /api/body}, {@code
 * /api/frames/<camera>/<seq>.jpg}, {@code /api/samples/<camera>/<seq>/<person>}, {@code
 * /api/stats}, {@code POST /api/draws}, {@code /webjars/three/...}. Thread-safe.
 */
public final class Viewer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Viewer.class);
  private static final String RESOURCES = "/io/megastream/sink/view/";

  /**
   * How the viewer runs.
   *
   * @param host address to bind ("127.0.0.1" keeps it on this machine)
   * @param port 0 picks a free one
   * @param replay from the beginning of the topics at capture pace, in a loop (else live)
   * @param clientBuffer events buffered per browser before the oldest are dropped
   * @param framesPerCamera recent frames kept per camera for the page
   * @param maxClients browsers served at once (each holds one thread)
   * @param tokenizerDir decodes the stochastic samples on request; null: samples not offered
   */
  public record Options(
      String host,
      int port,
      boolean replay,
      int clientBuffer,
      int framesPerCamera,
      int maxClients,
      Path tokenizerDir) {

    public Options {
      java.util.Objects.requireNonNull(host, "host");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      }
      if (clientBuffer < 1 || framesPerCamera < 1 || maxClients < 1) {
        throw new IllegalArgumentException(
            "clientBuffer, framesPerCamera and maxClients must be >= 1, were "
                + clientBuffer
                + ", "
                + framesPerCamera
                + ", "
                + maxClients);
      }
    }

    public static Options defaults() {
      return new Options("127.0.0.1", 8090, false, 64, 512, 32, null);
    }

    public Options withPort(int p) {
      return new Options(host, p, replay, clientBuffer, framesPerCamera, maxClients, tokenizerDir);
    }

    public Options withReplay(boolean r) {
      return new Options(host, port, r, clientBuffer, framesPerCamera, maxClients, tokenizerDir);
    }

    public Options withTokenizer(Path dir) {
      return new Options(host, port, replay, clientBuffer, framesPerCamera, maxClients, dir);
    }

    public Options withClientBuffer(int n) {
      return new Options(host, port, replay, n, framesPerCamera, maxClients, tokenizerDir);
    }
  }

  private final Options options;
  private final ViewerClients clients;
  private final FrameStore frames;
  private final ViewerFeed feed;
  private final TokenizerModel tokenizer;
  private final MeshDecoder decoder;
  private final String bodyJson;
  private final DrawDelays delays = new DrawDelays(10_000);
  private final Map<String, byte[]> resources = new java.util.concurrent.ConcurrentHashMap<>();
  private final HttpServer server;
  private final ExecutorService executor;
  private volatile boolean open = true;

  /**
   * Binds the port and connects to Kafka; {@link #start()} begins serving.
   *
   * @throws IOException if the port cannot be bound
   * @throws TokenizerLoadException if a tokenizer directory is given but does not load
   */
  public Viewer(Map<String, Object> kafka, Options options)
      throws IOException, TokenizerLoadException {
    this.options = options;
    SkinnedBodyModel body = ProceduralBody.build();
    bodyJson = ViewerEvents.body(body);
    tokenizer =
        options.tokenizerDir() == null ? null : TokenizerModel.load(options.tokenizerDir(), body);
    decoder = tokenizer == null ? null : new MeshDecoder(tokenizer);
    clients = new ViewerClients(options.clientBuffer());
    frames = new FrameStore(options.framesPerCamera());
    server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 64);
    executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "megastream-viewer-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::page);
    server.createContext("/webjars/three/", this::three);
    server.createContext("/api/events", this::events);
    server.createContext("/api/body", ex -> send(ex, 200, "application/json", bodyJson));
    server.createContext("/api/frames/", this::frame);
    server.createContext("/api/samples/", this::samples);
    server.createContext("/api/stats", ex -> send(ex, 200, "application/json", statsJson()));
    server.createContext("/api/draws", this::draws);
    feed = new ViewerFeed(kafka, clients, frames, options.replay());
  }

  public Viewer start() {
    server.start();
    feed.start();
    LOG.info("viewer at {} ({})", url(), options.replay() ? "replay" : "live");
    return this;
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The page's address. */
  public String url() {
    String host = options.host().equals("0.0.0.0") ? "localhost" : options.host();
    return "http://" + host + ":" + server.getAddress().getPort() + "/";
  }

  public ViewerClients clients() {
    return clients;
  }

  public ViewerFeed feed() {
    return feed;
  }

  /** Capture → browser draw delays the pages reported, milliseconds. */
  public DrawDelays drawDelays() {
    return delays;
  }

  private void page(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    switch (path) {
      case "/", "/index.html" -> resource(ex, RESOURCES + "index.html", "text/html; charset=utf-8");
      case "/viewer.js" -> resource(ex, RESOURCES + "viewer.js", "text/javascript; charset=utf-8");
      default -> send(ex, 404, "text/plain", "not found: " + path + "\n");
    }
  }

  private void three(HttpExchange ex) throws IOException {
    String rest = ex.getRequestURI().getPath().substring("/webjars/three/".length());
    if (rest.contains("..") || !rest.endsWith(".js")) {
      send(ex, 404, "text/plain", "not found\n");
      return;
    }
    resource(
        ex, "/META-INF/resources/webjars/three/" + ThreeJs.VERSION + "/" + rest, "text/javascript");
  }

  private void events(HttpExchange ex) throws IOException {
    if (clients.connected() >= options.maxClients()) {
      send(ex, 503, "text/plain", "too many viewers (" + options.maxClients() + ")\n");
      return;
    }
    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    ex.sendResponseHeaders(200, 0);
    try (ViewerClients.Client c = clients.connect();
        OutputStream out = ex.getResponseBody()) {
      write(
          out,
          new ViewerClients.Event(
              "hello",
              "{\"mode\":\""
                  + (options.replay() ? "replay" : "live")
                  + "\",\"samples\":"
                  + (decoder != null)
                  + "}"));
      while (open) {
        ViewerClients.Event e = c.next(10, TimeUnit.SECONDS);
        if (e == null) {
          out.write(": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        } else {
          write(out, e);
        }
      }
    } catch (IOException gone) {
      // the browser went away
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void write(OutputStream out, ViewerClients.Event e) throws IOException {
    out.write(
        ("event: " + e.name() + "\ndata: " + e.data() + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private void frame(HttpExchange ex) throws IOException {
    // /api/frames/<camera>/<seq>.jpg
    String[] p = ex.getRequestURI().getPath().substring("/api/frames/".length()).split("/");
    FrameStore.Stored f = null;
    if (p.length == 2 && p[1].endsWith(".jpg")) {
      try {
        f = frames.get(p[0], Long.parseLong(p[1].substring(0, p[1].length() - 4)));
      } catch (NumberFormatException e) {
        f = null;
      }
    }
    if (f == null) {
      send(ex, 404, "text/plain", "frame not held\n");
      return;
    }
    ex.getResponseHeaders().set("Cache-Control", "max-age=60");
    send(ex, 200, "image/jpeg", f.jpeg());
  }

  private void samples(HttpExchange ex) throws IOException {
    // /api/samples/<camera>/<seq>/<person>
    String[] p = ex.getRequestURI().getPath().substring("/api/samples/".length()).split("/");
    if (decoder == null) {
      send(ex, 404, "text/plain", "samples are not offered: start the viewer with a tokenizer\n");
      return;
    }
    List<MeshRecovery> held;
    try {
      held =
          p.length == 3
              ? feed.samplesOf(p[0], Long.parseLong(p[1]), Integer.parseInt(p[2]))
              : List.of();
    } catch (NumberFormatException e) {
      held = List.of();
    }
    if (held.isEmpty()) {
      send(ex, 404, "text/plain", "no samples held for " + String.join("/", p) + "\n");
      return;
    }
    List<float[]> meshes = new ArrayList<>();
    try {
      synchronized (decoder) {
        for (DecodedPerson d : decoder.decode(held, Map.of())) {
          meshes.add(d.vertices());
        }
      }
    } catch (IllegalArgumentException e) { // tokens the tokenizer cannot decode
      send(ex, 422, "text/plain", "cannot decode the samples: " + e.getMessage() + "\n");
      return;
    }
    send(ex, 200, "application/json", "{\"samples\":" + ViewerEvents.meshes(meshes) + "}");
  }

  private void draws(HttpExchange ex) throws IOException {
    if (!"POST".equals(ex.getRequestMethod())) {
      send(ex, 405, "text/plain", "POST a comma-separated list of delays in ms\n");
      return;
    }
    String body;
    try (InputStream in = ex.getRequestBody()) {
      body = new String(in.readNBytes(64 << 10), StandardCharsets.US_ASCII);
    }
    if (!options.replay()) { // replayed results are old: their delay says nothing
      for (String s : body.split(",")) {
        try {
          delays.add(Double.parseDouble(s.trim()));
        } catch (NumberFormatException e) {
          // ignore a malformed entry
        }
      }
    }
    send(ex, 204, "text/plain", "");
  }

  private String statsJson() {
    StringBuilder s = new StringBuilder("{");
    s.append("\"mode\":\"").append(options.replay() ? "replay" : "live").append('"');
    s.append(",\"clients\":").append(clients.connected());
    s.append(",\"published\":").append(clients.published());
    s.append(",\"dropped\":").append(clients.dropped());
    s.append(",\"meshes\":").append(feed.meshes());
    s.append(",\"frames\":").append(feed.frames());
    s.append(",\"badRecords\":").append(feed.badRecords());
    s.append(",\"deadLetterFailures\":").append(feed.deadLetterFailures());
    s.append(",\"feedFailed\":").append(feed.failure() != null);
    s.append(",\"drawDelayMs\":").append(delays.json());
    return s.append('}').toString();
  }

  /**
   * Serves a class-path resource, read once (the page, three.js: they do not change; at most the
   * WebJar's ~21 MB of scripts are ever held).
   */
  private void resource(HttpExchange ex, String name, String type) throws IOException {
    byte[] bytes = resources.computeIfAbsent(name, Viewer::readResource);
    if (bytes == null) {
      send(ex, 404, "text/plain", "not found\n");
    } else {
      send(ex, 200, type, bytes);
    }
  }

  private static byte[] readResource(String name) {
    try (InputStream in = Viewer.class.getResourceAsStream(name)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + name + " from the class path", e);
    }
  }

  @Override
  public void close() {
    open = false;
    feed.close();
    server.stop(0);
    executor.shutdownNow();
    if (tokenizer != null) {
      tokenizer.close();
    }
  }

  /** The three.js release the WebJar on the class path carries. */
  static final class ThreeJs {
    static final String VERSION = version();

    private static String version() {
      try (InputStream in =
          Viewer.class.getResourceAsStream(
              "/META-INF/maven/org.webjars.npm/three/pom.properties")) {
        if (in == null) {
          throw new IllegalStateException("the three.js WebJar is not on the class path");
        }
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version");
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the three.js WebJar's version", e);
      }
    }
  }

  /** A bounded window of the latest reported delays, with quantiles. Thread-safe. */
  public static final class DrawDelays {
    private final double[] ring;
    private long count;

    DrawDelays(int capacity) {
      ring = new double[capacity];
    }

    synchronized void add(double ms) {
      ring[(int) (count++ % ring.length)] = ms;
    }

    /** Delays reported so far. */
    public synchronized long count() {
      return count;
    }

    /** The q-quantile of the window, NaN if nothing was reported. */
    public synchronized double quantile(double q) {
      int n = (int) Math.min(count, ring.length);
      if (n == 0) {
        return Double.NaN;
      }
      double[] s = Arrays.copyOf(ring, n);
      Arrays.sort(s);
      return s[Math.min(n - 1, (int) Math.floor(q * n))];
    }

    String json() {
      if (count() == 0) {
        return "{\"n\":0}";
      }
      return String.format(
          Locale.ROOT,
          "{\"n\":%d,\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f}",
          count(),
          quantile(0.5),
          quantile(0.9),
          quantile(0.99));
    }
  }
}
