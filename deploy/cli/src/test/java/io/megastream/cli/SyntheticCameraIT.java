package io.megastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.broker.testing.SharedKafka;
import io.megastream.ingest.source.FrameSource;
import io.megastream.proto.Frame;
import io.megastream.proto.Label;
import io.megastream.proto.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code --camera id=synthetic:...}: rendered frames to frames, their ground truth to labels. */
@ExtendWith(SharedKafka.class)
class SyntheticCameraIT {

  @Test
  void shouldPublishOneLabelPerFrameWithTheTruePersonBoxes(EmbeddedKafkaBroker kafka) {
    // When
    int code =
        Main.execute(
            "ingest",
            "--bootstrap-server",
            kafka.bootstrapServers(),
            "--camera",
            "synth-it=synthetic:persons=2,seed=3,frames=12,size=320x240,fps=10",
            "--progress-interval",
            "0");

    // Then
    assertThat(code).isEqualTo(ExitCodes.OK);
    TreeMap<Long, Frame> frames = new TreeMap<>();
    read(kafka, Topics.FRAMES.name(), "synth-it", 12, Frame.parser())
        .forEach(f -> frames.put(f.getSeq(), f));
    TreeMap<Long, Label> labels = new TreeMap<>();
    read(kafka, Topics.LABELS.name(), "synth-it", 12, Label.parser())
        .forEach(l -> labels.put(l.getFrame().getSeq(), l));
    assertThat(frames.keySet()).containsExactlyElementsOf(labels.keySet()).hasSize(12);
    for (Frame f : frames.values()) {
      Label l = labels.get(f.getSeq());
      assertThat(f.getDetector()).isEqualTo(FrameSource.KNOWN_PERSONS);
      assertThat(f.getWidth()).isEqualTo(320);
      assertThat(l.getFrame().getCaptureTimeUs()).isEqualTo(f.getCaptureTimeUs());
      assertThat(l.getFrame().getIngestRunId()).isEqualTo(f.getIngestRunId());
      assertThat(l.getPersonsCount()).isEqualTo(2);
      assertThat(f.getPersonsCount()).isBetween(1, 2);
      // the frame's persons are the labels' boxes
      var truth = l.getPersons(0).getBox();
      assertThat(f.getPersonsList())
          .anySatisfy(
              p -> {
                assertThat(p.getTrackId()).isEqualTo(1);
                assertThat(p.getBox().getX()).isEqualTo(truth.getX());
                assertThat(p.getBox().getHeight()).isEqualTo(truth.getHeight());
              });
    }
  }

  @Test
  void shouldExitThreeForAnUnknownOption(EmbeddedKafkaBroker kafka) {
    int code =
        Main.execute(
            "ingest",
            "--bootstrap-server",
            kafka.bootstrapServers(),
            "--camera",
            "synth-bad=synthetic:people=2",
            "--progress-interval",
            "0");

    assertThat(code).isEqualTo(ExitCodes.SOURCE_UNAVAILABLE);
  }

  private static <T> List<T> read(
      EmbeddedKafkaBroker kafka,
      String topic,
      String key,
      int expected,
      com.google.protobuf.Parser<T> parser) {
    Properties p = kafka.clientProperties();
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "synthetic-it-" + topic);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
    List<T> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            p,
            new org.apache.kafka.common.serialization.StringDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
          if (key.equals(r.key())) {
            try {
              out.add(parser.parseFrom(r.value()));
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
              throw new AssertionError(e);
            }
          }
        }
      }
    }
    return out;
  }
}
