package io.megastream.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.proto.Topic;
import io.megastream.proto.Topics;
import io.megastream.proto.admin.TopicCreator;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The registry topics against Apache Kafka's own container image: runs where a Docker engine
 * exists, skipped (not failed) where none does.
 */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersKafkaIT {

  @Container static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0");

  @Test
  void shouldCreateRegistryTopicsOnAContainerizedCluster() throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers()))) {
      Map<String, TopicCreator.Outcome> outcome =
          TopicCreator.builder(admin).build().create(Topics.all());
      assertThat(outcome).containsOnlyKeys(Topics.all().stream().map(Topic::name).toList());
      assertThat(admin.listTopics().names().get())
          .containsAll(Topics.all().stream().map(Topic::name).toList());
    }
  }
}
