package io.megastream.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.megastream.proto.Topics;
import io.megastream.proto.admin.TopicCreator;
import io.megastream.proto.security.StageAcls;
import io.megastream.proto.security.StageAcls.Stage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The secure embedded broker: who gets in, and what they may do once in. */
class SecureBrokerIT {

  @TempDir static Path dataDir;
  static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedKafkaBroker.builder().optSecure(true).optDataDir(dataDir).build().start();
    try (Admin admin = Admin.create(broker.clientProperties())) {
      TopicCreator.builder(admin).build().create(Topics.all());
    }
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void shouldKeepTheCertificateAuthorityAndSecretsReadableByTheOwnerOnly() throws Exception {
    Path security = dataDir.resolve("security");
    assertThat(security.resolve("ca.p12")).exists();
    assertThat(security.resolve("broker.p12")).exists();
    for (Path p :
        List.of(security, security.resolve("ca.p12"), security.resolve("admin.password"))) {
      assertThat(Files.getPosixFilePermissions(p))
          .as("%s", p)
          .doesNotContain(
              PosixFilePermission.GROUP_READ,
              PosixFilePermission.OTHERS_READ,
              PosixFilePermission.OTHERS_WRITE);
    }
  }

  @Test
  void shouldRefuseAPlaintextClientOnTheTlsListener() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "6000");
    try (Admin admin = Admin.create(p)) {
      assertThatThrownBy(() -> admin.listTopics().names().get(20, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class);
    }
  }

  @Test
  void shouldRefuseAWrongPasswordWithAnAuthenticationError() {
    broker.createScramUser("mallory");
    Properties p = broker.scramProperties("mallory", "not-the-password");
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }
  }

  @Test
  void shouldRefuseAnAuthenticatedUserWithoutAclsAndWriteNothing() throws Exception {
    Properties p = broker.createScramUser("stranger");
    long before = endOffsets(Topics.FRAMES.name());
    try (KafkaProducer<String, byte[]> producer = producer(p)) {
      assertThatThrownBy(
              () ->
                  producer
                      .send(new ProducerRecord<>(Topics.FRAMES.name(), "cam", new byte[] {1}))
                      .get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
    assertThat(endOffsets(Topics.FRAMES.name())).isEqualTo(before);
  }

  @Test
  void shouldLetAStageWriteWhatItsAclsAllowAndNothingElse() throws Exception {
    Properties p = broker.createScramUser("ingest-it");
    grant(StageAcls.bindings(Stage.INGEST, "User:ingest-it", null));
    long framesBefore = endOffsets(Topics.FRAMES.name());
    long meshesBefore = endOffsets(Topics.MESHES.name());
    try (KafkaProducer<String, byte[]> producer = producer(p)) {
      producer
          .send(new ProducerRecord<>(Topics.FRAMES.name(), "cam", new byte[] {1}))
          .get(30, TimeUnit.SECONDS);
      assertThatThrownBy(
              () ->
                  producer
                      .send(new ProducerRecord<>(Topics.MESHES.name(), "cam", new byte[] {1}))
                      .get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
    assertThat(endOffsets(Topics.FRAMES.name())).isEqualTo(framesBefore + 1);
    assertThat(endOffsets(Topics.MESHES.name())).isEqualTo(meshesBefore);
  }

  @Test
  void shouldAuthenticateAClientCertificateAsTheUserOfItsCommonName() throws Exception {
    Properties writer = broker.createScramUser("mtls-writer");
    grant(StageAcls.bindings(Stage.INGEST, "User:mtls-writer", null));
    try (KafkaProducer<String, byte[]> producer = producer(writer)) {
      producer
          .send(new ProducerRecord<>(Topics.LABELS.name(), "mtls-cam", new byte[] {7}))
          .get(30, TimeUnit.SECONDS);
    }
    Properties viewer = broker.mtlsProperties("viewer-it");
    // Before its ACLs the certificate gets in but may not read.
    try (KafkaConsumer<String, String> c = consumer(viewer)) {
      c.assign(List.of(new TopicPartition(Topics.LABELS.name(), 0)));
      assertThatThrownBy(() -> c.poll(Duration.ofSeconds(10)))
          .isInstanceOf(TopicAuthorizationException.class);
    }
    grant(StageAcls.bindings(Stage.TRAIN, "User:viewer-it", null));
    try (KafkaConsumer<String, String> c = consumer(viewer)) {
      List<TopicPartition> parts =
          c.partitionsFor(Topics.LABELS.name()).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      boolean seen = false;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!seen && System.nanoTime() < deadline) {
        for (var r : c.poll(Duration.ofMillis(500))) {
          seen |= "mtls-cam".equals(r.key());
        }
      }
      assertThat(seen).as("the mTLS client read the record").isTrue();
    }
  }

  @Test
  void shouldRestartOnItsDataDirWithTheSameAdministrator() throws Exception {
    Path dir = dataDir.resolveSibling(dataDir.getFileName() + "-restart");
    try (EmbeddedKafkaBroker first =
        EmbeddedKafkaBroker.builder().optSecure(true).optDataDir(dir).build().start()) {
      assertThat(first.secure()).isTrue();
    }
    try (EmbeddedKafkaBroker second =
            EmbeddedKafkaBroker.builder().optSecure(true).optDataDir(dir).build().start();
        Admin admin = Admin.create(second.clientProperties())) {
      assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
    }
  }

  private static void grant(List<org.apache.kafka.common.acl.AclBinding> acls) throws Exception {
    try (Admin admin = Admin.create(broker.clientProperties())) {
      admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
    }
    // ACLs reach the authorizer through the metadata log; give it a moment.
    Thread.sleep(500);
  }

  private static long endOffsets(String topic) throws Exception {
    try (Admin admin = Admin.create(broker.clientProperties())) {
      int n =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
      long sum = 0;
      for (int i = 0; i < n; i++) {
        TopicPartition tp = new TopicPartition(topic, i);
        sum +=
            admin
                .listOffsets(java.util.Map.of(tp, OffsetSpec.latest()))
                .partitionResult(tp)
                .get()
                .offset();
      }
      return sum;
    }
  }

  private static KafkaProducer<String, byte[]> producer(Properties p) {
    Properties q = new Properties();
    q.putAll(p);
    q.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
    q.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
    q.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    return new KafkaProducer<>(q, new StringSerializer(), new ByteArraySerializer());
  }

  private static KafkaConsumer<String, String> consumer(Properties p) {
    Properties q = new Properties();
    q.putAll(p);
    q.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    q.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(q, new StringDeserializer(), new StringDeserializer());
  }
}
