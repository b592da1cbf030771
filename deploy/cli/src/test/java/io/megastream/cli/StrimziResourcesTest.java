package io.megastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.proto.Topic;
import io.megastream.proto.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StrimziResourcesTest {

  private static final Path BASE = Path.of("..", "k8s", "base");

  @Test
  void shouldMatchTheCommittedTopicsSoARegistryChangeNeedsARegeneration() throws Exception {
    assertThat(Files.readString(BASE.resolve("kafka-topics.yaml"), StandardCharsets.UTF_8))
        .as("deploy/k8s/base/kafka-topics.yaml is stale: run `megastream k8s generate`")
        .isEqualTo(StrimziResources.topics(3));
  }

  @Test
  void shouldMatchTheCommittedUsersSoAnAclChangeNeedsARegeneration() throws Exception {
    assertThat(Files.readString(BASE.resolve("kafka-users.yaml"), StandardCharsets.UTF_8))
        .as("deploy/k8s/base/kafka-users.yaml is stale: run `megastream k8s generate`")
        .isEqualTo(StrimziResources.users());
  }

  @Test
  void shouldCarryEveryRegistryTopicWithItsPartitionsAndConfigs() {
    String yaml = StrimziResources.topics(3);
    for (Topic<?, ?> t : Topics.all()) {
      assertThat(yaml)
          .contains("  topicName: " + t.name() + "\n  partitions: " + t.spec().partitions() + "\n");
      t.spec()
          .configs()
          .forEach((k, v) -> assertThat(yaml).contains("    " + k + ": \"" + v + "\""));
    }
    assertThat(yaml).contains("min.insync.replicas: \"2\"");
  }

  @Test
  void shouldGiveTheRecoverUserItsGroupAndTransactionalIdPrefixOnly() {
    String yaml = StrimziResources.users();
    String recover =
        yaml.substring(yaml.indexOf("  name: recover\n"), yaml.indexOf("  name: decode\n"));
    assertThat(recover)
        .contains("type: group\n          name: megastream-recover\n          patternType: literal")
        .contains(
            "type: transactionalId\n          name: megastream-recover-megastream-recover-\n"
                + "          patternType: prefixed")
        .doesNotContain("name: meshes-decoded");
  }
}
