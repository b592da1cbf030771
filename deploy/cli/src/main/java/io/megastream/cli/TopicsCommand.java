package io.megastream.cli;

import io.megastream.proto.Topic;
import io.megastream.proto.Topics;
import io.megastream.proto.admin.TopicAdminException;
import io.megastream.proto.admin.TopicCreator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code megastream topics}: create and list the registry topics on any cluster. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = "Creates or lists MegaStream's topics on any Kafka cluster.",
    subcommands = {TopicsCommand.Create.class, TopicsCommand.ListTopics.class})
final class TopicsCommand {

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Creates every MegaStream topic that does not exist yet, with its default configs"
            + " (partitions, max.message.bytes, retention; archives keep data forever).",
        "Existing topics are left unchanged."
      })
  static final class Create implements Callable<Integer> {
    @Mixin KafkaOptions kafka;

    @Option(
        names = "--partitions",
        description = "Partitions for every topic (default: per topic).")
    Integer partitions;

    @Option(
        names = "--replication-factor",
        description = "Replication factor (default: the cluster's default.replication.factor).")
    Short replicationFactor;

    @Option(
        names = "--config",
        paramLabel = "TOPIC:KEY=VALUE",
        description = "Override a topic config, e.g. frames:retention.ms=86400000. Repeatable.")
    List<String> configs = List.of();

    @Option(names = "--timeout-ms", defaultValue = "60000", description = "Bound of each wait.")
    long timeoutMs;

    @Override
    public Integer call() {
      TopicCreator.Builder b;
      try (Admin admin = Admin.create(kafka.properties())) {
        b = TopicCreator.builder(admin).optTimeout(Duration.ofMillis(timeoutMs));
        if (partitions != null) {
          b.optPartitions(partitions);
        }
        if (replicationFactor != null) {
          b.optReplicationFactor(replicationFactor);
        }
        for (String c : configs) {
          int colon = c.indexOf(':');
          int eq = c.indexOf('=', colon + 1);
          if (colon <= 0 || eq <= colon + 1) {
            throw new IllegalArgumentException("--config must be TOPIC:KEY=VALUE, was " + c);
          }
          String topic = Topics.byName(c.substring(0, colon)).name();
          b.optTopicConfig(topic, c.substring(colon + 1, eq), c.substring(eq + 1));
        }
        Map<String, TopicCreator.Outcome> outcome = b.build().create(Topics.all());
        outcome.forEach(
            (name, o) ->
                System.out.printf(
                    "%-12s %s%n",
                    name,
                    o == TopicCreator.Outcome.CREATED ? "created" : "exists (left unchanged)"));
        return ExitCodes.OK;
      } catch (TopicAdminException e) {
        System.err.println(
            "megastream topics create: "
                + e.getMessage()
                + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()));
        return ExitCodes.KAFKA_UNAVAILABLE;
      }
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists the registry topics and whether each exists on the cluster.")
  static final class ListTopics implements Callable<Integer> {
    @Mixin KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
      try (Admin admin = Admin.create(kafka.properties())) {
        Set<String> existing;
        try {
          existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException e) {
          System.err.println(
              "megastream topics list: cannot reach "
                  + kafka.bootstrapServer
                  + ": "
                  + e.getMessage());
          return ExitCodes.KAFKA_UNAVAILABLE;
        }
        for (Topic<?, ?> t : Topics.all()) {
          System.out.printf(
              "%-12s %-8s partitions=%d %s%n",
              t.name(),
              existing.contains(t.name()) ? "exists" : "MISSING",
              t.spec().partitions(),
              t.spec().configs());
        }
        return ExitCodes.OK;
      }
    }
  }
}
