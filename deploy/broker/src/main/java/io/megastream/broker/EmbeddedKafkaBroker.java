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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
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
 *
 * <p>{@linkplain Builder#optSecure(boolean) Secure}, it serves SASL_SSL with SCRAM-SHA-512 on its
 * client port and mTLS on a second port, authorizes with KRaft's {@code StandardAuthorizer} (no
 * ACL, no access) and runs its controller and inter-broker links over mTLS with a certificate of
 * its own. Certificates come from a {@link CertificateAuthority} made in {@code DATA/security} at
 * first start; the administrator's SCRAM credential is written into the log at format time, so
 * there is no window in which the broker runs open.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  /** The principal of the secure broker's administrator (SCRAM), a super user. */
  public static final String ADMIN_PRINCIPAL = "admin";

  /** The principal of the broker's own certificate (controller and inter-broker mTLS). */
  public static final String BROKER_PRINCIPAL = "broker";

  /** The SASL mechanism of the secure broker's client listener. */
  public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  private final int port;
  private final int controllerPort;
  private final Path dataDir;
  private final boolean deleteOnClose;
  private final Map<String, String> overrides;
  private final Duration startTimeout;
  private final boolean secure;
  private final int sslPort;
  private final CertificateAuthority ca;
  private final String adminPassword;
  private final boolean freshSecurity;
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
    this.secure = b.secure;
    if (secure) {
      this.sslPort = b.sslPort == 0 ? freePort() : b.sslPort;
      Path securityDir = dataDir.resolve("security");
      Path adminPasswordFile = securityDir.resolve("admin.password");
      this.freshSecurity = !Files.exists(adminPasswordFile);
      this.ca = CertificateAuthority.openOrCreate(securityDir);
      ca.keystore(BROKER_PRINCIPAL, true);
      try {
        if (freshSecurity) {
          CertificateAuthority.writeSecret(adminPasswordFile, CertificateAuthority.randomSecret());
        }
        this.adminPassword = Files.readString(adminPasswordFile, StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot keep the admin password in " + securityDir, e);
      }
    } else {
      this.sslPort = 0;
      this.ca = null;
      this.adminPassword = null;
      this.freshSecurity = false;
    }
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

  /** Client properties that reach this broker: as its administrator when it is secure. */
  public Properties clientProperties() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    if (secure) {
      p.putAll(scramProperties(ADMIN_PRINCIPAL, adminPassword));
    }
    return p;
  }

  /** Whether this broker serves SASL_SSL and mTLS only, with ACLs. */
  public boolean secure() {
    return secure;
  }

  /**
   * {@code 127.0.0.1:port} of the mTLS listener.
   *
   * @throws IllegalStateException if the broker is not secure
   */
  public String sslBootstrapServers() {
    requireSecure();
    return "127.0.0.1:" + sslPort;
  }

  /**
   * Client properties (without {@code bootstrap.servers}) that log in as {@code user} with
   * SCRAM-SHA-512 over TLS, trusting this broker's certificate authority.
   *
   * @throws IllegalStateException if the broker is not secure
   */
  public Properties scramProperties(String user, String password) {
    requireSecure();
    Properties p = trustProperties();
    p.put("security.protocol", "SASL_SSL");
    p.put("sasl.mechanism", SCRAM_MECHANISM);
    p.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + user
            + "\" password=\""
            + password
            + "\";");
    return p;
  }

  /**
   * Creates (or resets) the SCRAM-SHA-512 user {@code name} with a new random password and returns
   * client properties, {@code bootstrap.servers} included, that log in as it. The user has no
   * rights until ACLs name {@code User:name}.
   *
   * @throws IllegalStateException if the broker is not secure or not started
   * @throws BrokerStartException if the broker does not take the credential within 30 s
   */
  public Properties createScramUser(String name) {
    requireSecure();
    if (server == null) {
      throw new IllegalStateException("start the broker before creating users");
    }
    String password = CertificateAuthority.randomSecret();
    try (Admin admin = Admin.create(clientProperties())) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      name, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new BrokerStartException("cannot create SCRAM user " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerStartException("interrupted while creating SCRAM user " + name, e);
    }
    Properties p = scramProperties(name, password);
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return p;
  }

  /**
   * Issues a client certificate {@code CN=name} (principal {@code User:name}) and returns client
   * properties, {@code bootstrap.servers} of the mTLS listener included, that use it.
   *
   * @throws IllegalStateException if the broker is not secure
   */
  public Properties mtlsProperties(String name) {
    requireSecure();
    Properties p = trustProperties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, sslBootstrapServers());
    p.put("security.protocol", "SSL");
    p.put("ssl.keystore.type", "PKCS12");
    p.put("ssl.keystore.location", ca.keystore(name, false).toString());
    p.put("ssl.keystore.password", ca.storePassword());
    p.put("ssl.key.password", ca.storePassword());
    return p;
  }

  /**
   * Writes client properties to {@code DATA/security/NAME.properties}, readable by the owner only,
   * for {@code --command-config}.
   *
   * @return the file
   * @throws UncheckedIOException if it cannot be written
   */
  public Path writeClientProperties(String name, Properties p) {
    requireSecure();
    Path file = dataDir.resolve("security").resolve(name + ".properties");
    try (OutputStream out = Files.newOutputStream(file)) {
      p.store(out, "MegaStream client properties for " + name + " (contains a secret)");
      CertificateAuthority.restrict(file, "rw-------");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  private Properties trustProperties() {
    Properties p = new Properties();
    p.put("ssl.truststore.type", "PKCS12");
    p.put("ssl.truststore.location", ca.truststore().toString());
    p.put("ssl.truststore.password", ca.storePassword());
    return p;
  }

  private void requireSecure() {
    if (!secure) {
      throw new IllegalStateException("the broker on " + bootstrapServers() + " is not secure");
    }
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
    if (secure) {
      secureListeners(p);
    } else {
      p.put(
          "listeners",
          "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
      p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
      p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      p.put("inter.broker.listener.name", "PLAINTEXT");
    }
    p.put("controller.listener.names", "CONTROLLER");
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

  private void secureListeners(Map<String, String> p) {
    p.put(
        "listeners",
        "SASL_SSL://127.0.0.1:"
            + port
            + ",SSL://127.0.0.1:"
            + sslPort
            + ",CONTROLLER://127.0.0.1:"
            + controllerPort);
    p.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + port + ",SSL://127.0.0.1:" + sslPort);
    p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,SSL:SSL,CONTROLLER:SSL");
    // The broker reaches its controller and itself (transaction markers) by mTLS as User:broker.
    p.put("inter.broker.listener.name", "SSL");
    p.put("listener.name.ssl.ssl.client.auth", "required");
    p.put("listener.name.controller.ssl.client.auth", "required");
    p.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
    p.put(
        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    p.put("ssl.keystore.type", "PKCS12");
    p.put("ssl.keystore.location", ca.keystore(BROKER_PRINCIPAL, true).toString());
    p.put("ssl.keystore.password", ca.storePassword());
    p.put("ssl.key.password", ca.storePassword());
    p.put("ssl.truststore.type", "PKCS12");
    p.put("ssl.truststore.location", ca.truststore().toString());
    p.put("ssl.truststore.password", ca.storePassword());
    // CN=NAME is User:NAME, so a certificate names a principal as a SCRAM login does.
    p.put("ssl.principal.mapping.rules", "RULE:^CN=([^,]+)$/$1/,DEFAULT");
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.put("super.users", "User:" + BROKER_PRINCIPAL + ";User:" + ADMIN_PRINCIPAL);
    p.put("allow.everyone.if.no.acl.found", "false");
  }

  private void format(Properties props) {
    if (Files.exists(dataDir.resolve("log").resolve("meta.properties"))) {
      if (secure && freshSecurity) {
        throw new BrokerStartException(
            "the data directory "
                + dataDir
                + " was formatted without security and has no administrator credential; start the"
                + " secure broker on a new data directory");
      }
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
      rc = StorageTool.execute(formatArguments(configFile), ps);
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

  private String[] formatArguments(Path configFile) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "format",
                "-t",
                Uuid.randomUuid().toString(),
                "-c",
                configFile.toString(),
                "--ignore-formatted"));
    if (secure) {
      // The administrator exists from the first metadata record on.
      args.add("--add-scram");
      args.add(SCRAM_MECHANISM + "=[name=" + ADMIN_PRINCIPAL + ",password=" + adminPassword + "]");
    }
    return args.toArray(String[]::new);
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
    private boolean secure;
    private int sslPort;

    private Builder() {}

    /**
     * SASL_SSL (SCRAM-SHA-512) on the client port, mTLS on a second port, ACLs enforced; default
     * off (PLAINTEXT, no authorizer).
     */
    public Builder optSecure(boolean secure) {
      this.secure = secure;
      return this;
    }

    /** The secure broker's mTLS port on 127.0.0.1; 0 (default) picks a free one. */
    public Builder optSslPort(int sslPort) {
      this.sslPort = checkPort(sslPort);
      return this;
    }

    /**
     * Client port (PLAINTEXT, or SASL_SSL if secure) on 127.0.0.1; 0 (default) picks a free one.
     */
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
