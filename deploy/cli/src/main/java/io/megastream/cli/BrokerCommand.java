package io.megastream.cli;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.proto.Topics;
import io.megastream.proto.admin.TopicCreator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code megastream broker}: Apache Kafka's single-node KRaft broker, in this process. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs Apache Kafka's own single-node KRaft broker+controller in-process on 127.0.0.1"
          + " until Ctrl-C.",
      "For development, demos and tests; production points MegaStream at any Kafka cluster."
    })
final class BrokerCommand implements Callable<Integer> {

  @Option(
      names = "--port",
      defaultValue = "9092",
      description = "Client port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--controller-port",
      defaultValue = "0",
      description = "KRaft controller port; 0 picks a free one (default).")
  int controllerPort;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Keep the log here across restarts. Default: a temporary directory, deleted on exit.")
  Path dataDir;

  @Option(
      names = "--create-topics",
      negatable = true,
      defaultValue = "true",
      description = "Create every MegaStream topic at start (default: ${DEFAULT-VALUE}).")
  boolean createTopics;

  @Option(
      names = "--secure",
      description =
          "SASL_SSL with SCRAM-SHA-512 on --port, mTLS on --ssl-port, ACLs enforced; makes a"
              + " certificate authority and one user per stage with its least rights, and writes"
              + " their client properties files into DATA/security.")
  boolean secure;

  @Option(
      names = "--ssl-port",
      defaultValue = "0",
      description = "The secure broker's mTLS port; 0 picks a free one (default).")
  int sslPort;

  @Override
  public Integer call() throws Exception {
    EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.builder()
            .optPort(port)
            .optControllerPort(controllerPort)
            .optDataDir(dataDir)
            .optSecure(secure)
            .optSslPort(sslPort)
            .build()
            .start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  broker.close();
                  stopped.countDown();
                },
                "broker-shutdown"));
    if (createTopics) {
      try (Admin admin = Admin.create(broker.clientProperties())) {
        TopicCreator.builder(admin).build().create(Topics.all());
      }
    }
    if (secure) {
      java.nio.file.Path admin =
          broker.writeClientProperties(
              EmbeddedKafkaBroker.ADMIN_PRINCIPAL, broker.clientProperties());
      StageUsers users = StageUsers.create(broker, java.util.Map.of());
      System.out.println(
          "Secure: SASL_SSL (SCRAM-SHA-512) on "
              + broker.bootstrapServers()
              + ", mTLS on "
              + broker.sslBootstrapServers()
              + "; client properties (--command-config):");
      System.out.println("  admin (super user)  " + admin);
      for (io.megastream.proto.security.StageAcls.Stage s :
          io.megastream.proto.security.StageAcls.Stage.values()) {
        System.out.printf("  %-19s %s%n", s.cliName(), users.file(s));
      }
    }
    System.out.println(
        "Kafka broker listening on "
            + broker.bootstrapServers()
            + " (data: "
            + broker.dataDir()
            + "). Ctrl-C stops it.");
    stopped.await();
    return ExitCodes.OK;
  }
}
