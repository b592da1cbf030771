package io.megastream.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * The connection options every command that talks to Kafka shares, named as in Kafka's own tools.
 */
public final class KafkaOptions {

  @Option(
      names = "--bootstrap-server",
      paramLabel = "HOST:PORT",
      required = true,
      description = "Kafka bootstrap servers, e.g. 127.0.0.1:9092 (comma-separated list).")
  String bootstrapServer;

  @Option(
      names = "--command-config",
      paramLabel = "FILE",
      description =
          "Client properties file (security.protocol, sasl.*, ssl.*, ...), passed to every"
              + " Kafka client untouched.")
  Path commandConfig;

  /**
   * The client properties: the command-config file, then bootstrap.servers.
   *
   * @throws IllegalArgumentException if the file cannot be read
   */
  public Map<String, Object> properties() {
    return properties(bootstrapServer, commandConfig);
  }

  /**
   * Client properties from a properties file (null: none) with {@code bootstrap.servers} set, for
   * commands whose bootstrap server is optional.
   *
   * @throws IllegalArgumentException if the file cannot be read
   */
  public static Map<String, Object> properties(String bootstrapServer, Path commandConfig) {
    Map<String, Object> out = new HashMap<>();
    if (commandConfig != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(commandConfig)) {
        p.load(r);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read --command-config " + commandConfig + ": " + e.getMessage(), e);
      }
      p.forEach((k, v) -> out.put(k.toString(), v));
    }
    out.put("bootstrap.servers", bootstrapServer);
    return out;
  }
}
