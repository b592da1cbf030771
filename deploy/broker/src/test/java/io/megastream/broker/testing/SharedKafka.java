package io.megastream.broker.testing;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.proto.Topics;
import io.megastream.proto.admin.TopicCreator;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real Kafka broker per test JVM, shared by every test class that uses this extension
 * ({@code @ExtendWith(SharedKafka.class)}) and injected as an {@link EmbeddedKafkaBroker}
 * parameter. Started on first use with every registry topic created, stopped by a shutdown hook.
 * Thread-safe.
 */
public final class SharedKafka implements BeforeAllCallback, ParameterResolver {

  private static EmbeddedKafkaBroker broker;

  /** The JVM-wide broker, started (with the registry topics) on first call. */
  public static synchronized EmbeddedKafkaBroker broker() {
    if (broker == null) {
      Path dir = Path.of("target", "kafka-it-" + UUID.randomUUID());
      EmbeddedKafkaBroker b = EmbeddedKafkaBroker.builder().optDataDir(dir).build().start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    b.close();
                    deleteQuietly(dir);
                  },
                  "shared-kafka-shutdown"));
      try (Admin admin = Admin.create(b.clientProperties())) {
        TopicCreator.builder(admin).build().create(Topics.all());
      }
      broker = b;
    }
    return broker;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    broker();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
    return parameter.getParameter().getType() == EmbeddedKafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
    return broker();
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = java.nio.file.Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // best effort at JVM exit; target/ is cleaned by mvn clean anyway
    }
  }
}
