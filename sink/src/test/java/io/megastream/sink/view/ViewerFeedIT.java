package io.megastream.sink.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.broker.testing.SharedKafka;
import io.megastream.proto.DeadLetter;
import io.megastream.proto.DecodedMesh;
import io.megastream.proto.FrameRef;
import io.megastream.proto.RecoveryStatus;
import io.megastream.proto.Topics;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The viewer's Kafka side and HTTP side on the real broker, without a browser. */
@ExtendWith(SharedKafka.class)
class ViewerFeedIT {

  @Test
  void shouldDeadLetterARecordThatDoesNotParseAndGoOn(EmbeddedKafkaBroker kafka) throws Exception {
    // Given: a live viewer with one connected client
    try (Viewer viewer = new Viewer(client(kafka), Viewer.Options.defaults().withPort(0)).start()) {
      assertThat(viewer.feed().awaitReady(Duration.ofSeconds(60))).isTrue();
      ViewerClients.Client c = viewer.clients().connect();

      // When: garbage, then a good result
      try (KafkaProducer<byte[], byte[]> p = producer(kafka)) {
        p.send(
                new ProducerRecord<>(
                    Topics.DECODED.name(), "feed-bad".getBytes(), new byte[] {1, 2, 3, 4}))
            .get();
        send(p, decoded("feed-bad", 0));
      }

      // Then: the good one reaches the client, the bad one is counted and dead-lettered
      ViewerClients.Event e = c.next(30, TimeUnit.SECONDS);
      assertThat(e).isNotNull();
      assertThat(e.data()).contains("\"camera\":\"feed-bad\"");
      assertThat(viewer.feed().badRecords()).isEqualTo(1);
      assertThat(viewer.feed().failure()).isNull();
      List<DeadLetter> dead = deadLetters(kafka, "feed-bad");
      assertThat(dead).hasSize(1);
      assertThat(dead.get(0).getStage()).isEqualTo(ViewerFeed.STAGE);
      assertThat(dead.get(0).getSourceTopic()).isEqualTo(Topics.DECODED.name());
    }
  }

  @Test
  void shouldReplayWhatIsAlreadyOnTheTopics(EmbeddedKafkaBroker kafka) throws Exception {
    // Given: three results already on the topic
    try (KafkaProducer<byte[], byte[]> p = producer(kafka)) {
      for (int seq = 0; seq < 3; seq++) {
        send(p, decoded("feed-replay", seq));
      }
    }

    // When: a replaying viewer starts
    try (Viewer viewer =
        new Viewer(client(kafka), Viewer.Options.defaults().withPort(0).withReplay(true)).start()) {
      ViewerClients.Client c = viewer.clients().connect();

      // Then: it hands them out again, in order
      List<String> seen = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (seen.size() < 3 && System.nanoTime() < deadline) {
        ViewerClients.Event e = c.next(1, TimeUnit.SECONDS);
        if (e != null && e.data().contains("\"camera\":\"feed-replay\"")) {
          seen.add(e.data().replaceAll(".*\"seq\":(\\d+).*", "$1"));
        }
      }
      assertThat(seen).containsExactly("0", "1", "2");
    }
  }

  @Test
  void shouldNeverWaitForABrowserThatStopsReading(EmbeddedKafkaBroker kafka) throws Exception {
    // Given: a viewer with a small buffer and a browser that opens the stream and never reads it
    try (Viewer viewer =
        new Viewer(client(kafka), Viewer.Options.defaults().withPort(0).withClientBuffer(4))
            .start()) {
      assertThat(viewer.feed().awaitReady(Duration.ofSeconds(60))).isTrue();
      HttpURLConnection stalled =
          (HttpURLConnection) URI.create(viewer.url() + "api/events").toURL().openConnection();
      InputStream never = stalled.getInputStream();
      awaitTrue(() -> viewer.clients().connected() == 1);

      // When: 300 results of ~70 KB each arrive
      try (KafkaProducer<byte[], byte[]> p = producer(kafka)) {
        for (int seq = 0; seq < 300; seq++) {
          send(p, decoded("feed-slow", seq).toBuilder().addAllVertices(big()).build());
        }
      }

      // Then: the feed took all of them; the stalled browser lost the oldest, counted
      awaitTrue(() -> viewer.feed().meshes() >= 300);
      assertThat(viewer.clients().dropped()).isGreaterThan(0);
      assertThat(viewer.feed().failure()).isNull();
      never.close();
      stalled.disconnect();
    }
  }

  private static List<Float> big() {
    List<Float> v = new ArrayList<>();
    for (int i = 0; i < 6_000 * 3; i++) {
      v.add((i % 1000) / 1000f);
    }
    return v;
  }

  private static void awaitTrue(java.util.function.BooleanSupplier c) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!c.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(c.getAsBoolean()).isTrue();
  }

  private static Map<String, Object> client(EmbeddedKafkaBroker kafka) {
    return Map.of("bootstrap.servers", kafka.bootstrapServers());
  }

  private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafkaBroker kafka) {
    Properties p = kafka.clientProperties();
    p.put("max.request.size", 8 << 20);
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static DecodedMesh decoded(String camera, long seq) {
    return DecodedMesh.newBuilder()
        .setSchemaVersion(1)
        .setFrame(
            FrameRef.newBuilder()
                .setCameraId(camera)
                .setSeq(seq)
                .setCaptureTimeUs(System.currentTimeMillis() * 1000))
        .setStatus(RecoveryStatus.RECOVERY_STATUS_NO_PERSONS)
        .build();
  }

  private static void send(KafkaProducer<byte[], byte[]> p, DecodedMesh m) throws Exception {
    p.send(Topics.DECODED.record(m.getFrame().getCameraId(), m)).get();
  }

  private static List<DeadLetter> deadLetters(EmbeddedKafkaBroker kafka, String key)
      throws Exception {
    Properties c = kafka.clientProperties();
    c.put("group.id", "feed-it-" + UUID.randomUUID());
    c.put("auto.offset.reset", "earliest");
    List<DeadLetter> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.DEAD_LETTER.name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(300))) {
          if (r.key() != null && new String(r.key()).equals(key)) {
            out.add(Topics.DEAD_LETTER.decodeValue(r.headers(), r.value()));
          }
        }
      }
    }
    return out;
  }
}
