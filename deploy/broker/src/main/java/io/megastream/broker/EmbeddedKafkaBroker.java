package io.megastream.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache Kafka's own single-node KRaft cluster (combined broker and controller) running inside this
 * JVM, bound to 127.0.0.1. Used by {@code megastream broker}, the demo and integration tests.
 *
 * <p>With a data directory the log survives restarts; without one a temporary directory is used and
 * deleted on {@link #close()}. Not thread-safe: start and close from one thread.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  private final int port;
  private final int controllerPort;
  private final Path dataDir;
  private final boolean deleteOnClose;
  private final Map<String, String> overrides;
  private final Duration startTimeout;
  private KafkaRaftServer server;

  private EmbeddedKafkaBroker(Builder b) {
    this.port = b.port == 0 ? freePort() : b.port;
    this.controllerPort = b.controllerPort == 0 ? freePort() : b.controllerPort;
    this.deleteOnClose = b.dataDir == null;
    try {
      this.dataDir =
          b.dataDir != null
              ? Files.createDirectories(b.dataDir.toAbsolutePath())
              : Files.createTempDirectory("megastream-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create Kafka data directory " + b.dataDir, e);
    }
    this.overrides = Map.copyOf(b.overrides);
    this.startTimeout = b.startTimeout;
  }

  /** Returns a builder; every option has a default. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Formats the data directory if needed, starts the server and waits until it serves requests.
   *
   * @return this broker
   * @throws BrokerStartException if the log directory cannot be formatted or the broker does not
   *     become ready within the start timeout
   */
  public synchronized EmbeddedKafkaBroker start() {
    if (server != null) {
      return this;
    }
    Properties props = serverProperties();
    format(props);
    KafkaConfig config = KafkaConfig.fromProps(props, false);
    server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    awaitReady();
    log.info(
        "Kafka broker ready on {} (controller port {}, data {})",
        bootstrapServers(),
        controllerPort,
        dataDir);
    return this;
  }

  /** {@code 127.0.0.1:port}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** The directory holding the log and metadata. */
  public Path dataDir() {
    return dataDir;
  }

  /** Client properties that reach this broker. */
  public Properties clientProperties() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return p;
  }

  /** Stops the broker and waits for it; deletes the data directory if it was temporary. */
  @Override
  public synchronized void close() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
      log.info("Kafka broker on {} stopped", bootstrapServers());
    }
    if (deleteOnClose) {
      deleteRecursively(dataDir);
    }
  }

  private Properties serverProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", dataDir.resolve("log").toString());
    // One node: internal topics must fit on it, or transactions and groups silently hang.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "10");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "10");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("num.partitions", "1");
    p.put("default.replication.factor", "1");
    p.put("auto.create.topics.enable", "false");
    // Frames are large records; topics raise their own max.message.bytes (see Topics).
    p.put("message.max.bytes", Integer.toString(16 * 1024 * 1024));
    p.put("socket.request.max.bytes", Integer.toString(256 * 1024 * 1024));
    p.put("log.segment.bytes", Integer.toString(256 * 1024 * 1024));
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.putAll(overrides);
    Properties props = new Properties();
    props.putAll(p);
    return props;
  }

  private void format(Properties props) {
    if (Files.exists(dataDir.resolve("log").resolve("meta.properties"))) {
      return; // formatted by an earlier run: keep its cluster id and data
    }
    Path configFile = dataDir.resolve("server.properties");
    try (OutputStream out = Files.newOutputStream(configFile)) {
      props.store(out, "written by MegaStream's EmbeddedKafkaBroker");
    } catch (IOException e) {
      throw new BrokerStartException("cannot write " + configFile, e);
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int rc;
    try (PrintStream ps = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      rc =
          StorageTool.execute(
              new String[] {
                "format",
                "-t",
                Uuid.randomUuid().toString(),
                "-c",
                configFile.toString(),
                "--ignore-formatted"
              },
              ps);
    } catch (RuntimeException e) {
      throw new BrokerStartException("cannot format Kafka log directory " + dataDir, e);
    }
    if (rc != 0) {
      throw new BrokerStartException(
          "formatting Kafka log directory "
              + dataDir
              + " failed (exit "
              + rc
              + "): "
              + output.toString(StandardCharsets.UTF_8));
    }
  }

  private void awaitReady() {
    Properties p = clientProperties();
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    long deadline = System.nanoTime() + startTimeout.toNanos();
    try (Admin admin = Admin.create(p)) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          if (System.nanoTime() > deadline) {
            throw new BrokerStartException(
                "Kafka broker on " + bootstrapServers() + " not ready after " + startTimeout, e);
          }
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerStartException("interrupted while waiting for the broker", e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("could not delete Kafka data directory {}", dir, e);
    }
  }

  /** Options of an {@link EmbeddedKafkaBroker}; all optional. */
  public static final class Builder {
    private int port;
    private int controllerPort;
    private Path dataDir;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private Duration startTimeout = Duration.ofSeconds(60);

    private Builder() {}

    /** Client (PLAINTEXT) port on 127.0.0.1; 0 (default) picks a free one. */
    public Builder optPort(int port) {
      this.port = checkPort(port);
      return this;
    }

    /** Controller port on 127.0.0.1; 0 (default) picks a free one. */
    public Builder optControllerPort(int controllerPort) {
      this.controllerPort = checkPort(controllerPort);
      return this;
    }

    /** Keep the log in this directory across restarts; default: a temporary directory. */
    public Builder optDataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /** Any Kafka server property, applied last. */
    public Builder optServerProperty(String key, String value) {
      overrides.put(key, value);
      return this;
    }

    /** How long {@link #start()} waits for the broker to answer; default 60 s. */
    public Builder optStartTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    public EmbeddedKafkaBroker build() {
      if (port != 0 && port == controllerPort) {
        throw new IllegalArgumentException("port and controller port must differ: " + port);
      }
      return new EmbeddedKafkaBroker(this);
    }

    private static int checkPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      return port;
    }
  }
}
