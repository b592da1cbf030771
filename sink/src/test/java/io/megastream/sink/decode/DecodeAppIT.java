package io.megastream.sink.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.broker.testing.SharedKafka;
import io.megastream.proto.Box;
import io.megastream.proto.DecodedMesh;
import io.megastream.proto.FrameRef;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.RecoveryMode;
import io.megastream.proto.RecoveryStatus;
import io.megastream.proto.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The decode application on the real broker, exactly once, results to meshes-decoded. */
@ExtendWith(SharedKafka.class)
class DecodeAppIT {

  @Test
  void shouldDecodeResultsFromTheMeshesTopic(EmbeddedKafkaBroker kafka) throws Exception {
    // Given: three results of camera "decode-a"
    Properties pp = kafka.clientProperties();
    pp.put("enable.idempotence", "true");
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int seq = 0; seq < 3; seq++) {
        MeshRecovery.Builder m =
            MeshRecovery.newBuilder()
                .setSchemaVersion(1)
                .setFrame(FrameRef.newBuilder().setCameraId("decode-a").setSeq(seq))
                .setStatus(RecoveryStatus.RECOVERY_STATUS_OK)
                .setPersonIndex(0)
                .setBox(Box.newBuilder().setX(10).setY(10).setWidth(40).setHeight(100))
                .setMode(RecoveryMode.RECOVERY_MODE_DETERMINISTIC)
                .setModelVersion("it")
                .addAllRotation6D(List.of(1f, 0f, 0f, 0f, 1f, 0f))
                .addAllCamera(List.of(0.5f, 0f, 0f));
        for (int t = 0; t < 54; t++) {
          m.addTokens((t * 31 + seq) % 512);
        }
        p.send(Topics.MESHES.record("decode-a", m.build())).get();
      }
    }

    // When
    List<DecodedMesh> out = new ArrayList<>();
    try (DecodeApp app =
        new DecodeApp(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            "decode-it",
            Path.of("..", "models", "tokenizer"))) {
      app.start();
      Properties c = kafka.clientProperties();
      c.put("group.id", "decode-it-reader-" + UUID.randomUUID());
      c.put("auto.offset.reset", "earliest");
      c.put("isolation.level", "read_committed");
      try (KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer.subscribe(List.of(Topics.DECODED.name()));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (out.size() < 3 && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(300))) {
            DecodedMesh d = Topics.DECODED.decodeValue(r.headers(), r.value());
            if (d.getFrame().getCameraId().equals("decode-a")) {
              out.add(d);
            }
          }
        }
      }
    }

    // Then
    assertThat(out).extracting(d -> d.getFrame().getSeq()).containsExactlyInAnyOrder(0L, 1L, 2L);
    assertThat(out).allMatch(d -> d.getVerticesCount() > 10_000 && d.getJoints2DCount() == 48);
  }
}
