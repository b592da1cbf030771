package io.megastream.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.megastream.broker.testing.SharedKafka;
import io.megastream.proto.Frame;
import io.megastream.proto.ImageEncoding;
import io.megastream.proto.SchemaVersions;
import io.megastream.proto.Topic;
import io.megastream.proto.Topics;
import io.megastream.proto.admin.TopicCreator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SharedKafka.class)
class EmbeddedKafkaBrokerIT {

  @Test
  void shouldCreateEveryRegistryTopicWithItsConfigs(EmbeddedKafkaBroker broker) throws Exception {
    try (Admin admin = Admin.create(broker.clientProperties())) {
      assertThat(admin.listTopics().names().get())
          .containsAll(Topics.all().stream().map(Topic::name).toList());
      for (Topic<?, ?> topic : Topics.all()) {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
        Config config = admin.describeConfigs(List.of(r)).all().get().get(r);
        for (Map.Entry<String, String> e : topic.spec().configs().entrySet()) {
          assertThat(config.get(e.getKey()).value())
              .as("%s of %s", e.getKey(), topic.name())
              .isEqualTo(e.getValue());
        }
        int partitions =
            admin
                .describeTopics(List.of(topic.name()))
                .allTopicNames()
                .get()
                .get(topic.name())
                .partitions()
                .size();
        assertThat(partitions).isEqualTo(topic.spec().partitions());
      }
    }
  }

  @Test
  void shouldRoundTripFramesThroughTheRegistrySerdes(EmbeddedKafkaBroker broker) {
    String camera = "cam-" + UUID.randomUUID();
    Frame frame = frame(camera, 7);
    Properties pp = broker.clientProperties();
    pp.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, Frame> producer =
        new KafkaProducer<>(
            pp, Topics.FRAMES.keySerde().serializer(), Topics.FRAMES.valueSerde().serializer())) {
      producer.send(new ProducerRecord<>(Topics.FRAMES.name(), camera, frame)).get();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    List<Frame> received = consumeFrames(broker, camera, 1);
    assertThat(received).containsExactly(frame);
  }

  @Test
  void shouldKeepDataAcrossRestartWhenDataDirIsGiven(@TempDir Path dir) throws Exception {
    String camera = "restart-cam";
    try (EmbeddedKafkaBroker first =
        EmbeddedKafkaBroker.builder().optDataDir(dir).build().start()) {
      try (Admin admin = Admin.create(first.clientProperties())) {
        TopicCreator.builder(admin).build().create(List.of(Topics.FRAMES));
      }
      try (KafkaProducer<String, Frame> producer =
          new KafkaProducer<>(
              first.clientProperties(),
              Topics.FRAMES.keySerde().serializer(),
              Topics.FRAMES.valueSerde().serializer())) {
        producer.send(new ProducerRecord<>(Topics.FRAMES.name(), camera, frame(camera, 1))).get();
      }
    }
    assertThat(Files.exists(dir)).as("data dir kept after close").isTrue();

    try (EmbeddedKafkaBroker second =
        EmbeddedKafkaBroker.builder().optDataDir(dir).build().start()) {
      assertThat(consumeFrames(second, camera, 1)).extracting(Frame::getSeq).containsExactly(1L);
    }
  }

  static Frame frame(String camera, long seq) {
    return Frame.newBuilder()
        .setSchemaVersion(SchemaVersions.CURRENT)
        .setCameraId(camera)
        .setSeq(seq)
        .setCaptureTimeUs(1_700_000_000_000_000L + seq)
        .setWidth(64)
        .setHeight(48)
        .setEncoding(ImageEncoding.IMAGE_ENCODING_JPEG)
        .setImage(ByteString.copyFrom(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3}))
        .setSource("test")
        .build();
  }

  static List<Frame> consumeFrames(EmbeddedKafkaBroker broker, String camera, int expected) {
    Properties cp = broker.clientProperties();
    cp.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<Frame> out = new ArrayList<>();
    try (KafkaConsumer<String, Frame> consumer =
        new KafkaConsumer<>(
            cp,
            Topics.FRAMES.keySerde().deserializer(),
            Topics.FRAMES.valueSerde().deserializer())) {
      consumer.subscribe(List.of(Topics.FRAMES.name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, Frame> r : consumer.poll(Duration.ofMillis(200))) {
          if (camera.equals(r.key())) {
            out.add(r.value());
          }
        }
      }
    }
    return out;
  }
}
