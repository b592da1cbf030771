package io.megastream.cli;

import io.megastream.proto.security.StageAcls;
import io.megastream.proto.security.StageAcls.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code megastream acls}: a stage's least rights, from the topic registry, printed or created. */
@Command(
    name = "acls",
    mixinStandardHelpOptions = true,
    description = {
      "Prints (or with --bootstrap-server creates) the Kafka ACLs a stage needs and no more:"
          + " ingest, recover, decode, tracks, viewer, train. They are derived from the topic"
          + " registry (StageAcls), not written by hand.",
      "Create them as a principal allowed to Alter the cluster (e.g. the secure broker's admin)."
    })
final class AclsCommand implements Callable<Integer> {

  @Option(
      names = "--stage",
      required = true,
      split = ",",
      description = "Stages (comma-separated), or 'all'.")
  List<String> stages;

  @Option(
      names = "--principal",
      description =
          "Principal to grant, e.g. User:cam-gateway; default User:STAGE (the name the secure"
              + " broker's stage users have).")
  String principal;

  @Option(
      names = "--group",
      description =
          "Consumer group (recover) or Streams application id (decode, tracks); default the"
              + " commands' default.")
  String group;

  @ArgGroup(exclusive = false)
  Connection connection;

  static final class Connection {
    @Option(
        names = "--bootstrap-server",
        required = true,
        description = "Create the ACLs on this cluster (without it they are printed only).")
    String bootstrapServer;

    @Option(names = "--command-config", description = "Admin client properties file.")
    java.nio.file.Path commandConfig;
  }

  @Override
  public Integer call() throws Exception {
    List<Stage> chosen = new ArrayList<>();
    for (String s : stages) {
      if (s.equalsIgnoreCase("all")) {
        chosen.addAll(List.of(Stage.values()));
      } else {
        chosen.add(Stage.of(s));
      }
    }
    if (principal != null && chosen.size() > 1) {
      throw new IllegalArgumentException("--principal names one principal: give one --stage");
    }
    List<AclBinding> all = new ArrayList<>();
    for (Stage s : chosen) {
      all.addAll(
          StageAcls.bindings(s, principal != null ? principal : "User:" + s.cliName(), group));
    }
    for (AclBinding b : all) {
      System.out.printf(
          "%s %s %s on %s %s:%s%n",
          b.entry().principal(),
          b.entry().permissionType(),
          b.entry().operation(),
          b.pattern().resourceType(),
          b.pattern().patternType(),
          b.pattern().name());
    }
    if (connection == null) {
      return ExitCodes.OK;
    }
    Map<String, Object> props =
        KafkaOptions.properties(connection.bootstrapServer, connection.commandConfig);
    props.putIfAbsent("default.api.timeout.ms", 30_000);
    try (Admin admin = Admin.create(props)) {
      admin.createAcls(all).all().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      System.err.println(
          "megastream acls: cannot create ACLs on "
              + connection.bootstrapServer
              + ": "
              + e.getCause().getMessage());
      return ExitCodes.KAFKA_UNAVAILABLE;
    } catch (TimeoutException e) {
      System.err.println(
          "megastream acls: " + connection.bootstrapServer + " did not answer within 60 s");
      return ExitCodes.KAFKA_UNAVAILABLE;
    }
    System.out.printf("%d ACLs created on %s%n", all.size(), connection.bootstrapServer);
    return ExitCodes.OK;
  }
}
