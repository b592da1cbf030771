package io.megastream.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code megastream k8s generate}: the Strimzi resources that follow from the registry. */
@Command(
    name = "k8s",
    mixinStandardHelpOptions = true,
    subcommands = K8sCommand.Generate.class,
    description = "Kubernetes resources made from the topic registry and the stages' ACLs.")
final class K8sCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required");
  }

  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description =
          "Writes kafka-topics.yaml (Strimzi KafkaTopic per registry topic) and kafka-users.yaml"
              + " (a SCRAM KafkaUser per stage with its least ACLs) into --out.")
  static final class Generate implements Callable<Integer> {
    @Option(
        names = "--out",
        defaultValue = "deploy/k8s/base",
        description = "Directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
        names = "--replicas",
        defaultValue = "3",
        description = "Replicas per topic (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Override
    public Integer call() throws Exception {
      if (replicas < 1) {
        throw new IllegalArgumentException("--replicas must be at least 1");
      }
      Files.createDirectories(out);
      Files.writeString(
          out.resolve("kafka-topics.yaml"),
          StrimziResources.topics(replicas),
          StandardCharsets.UTF_8);
      Files.writeString(
          out.resolve("kafka-users.yaml"), StrimziResources.users(), StandardCharsets.UTF_8);
      System.out.println(
          "wrote " + out.resolve("kafka-topics.yaml") + " and " + out.resolve("kafka-users.yaml"));
      return ExitCodes.OK;
    }
  }
}
