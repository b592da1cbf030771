package io.megastream.sink.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.broker.testing.SharedKafka;
import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.tokenizer.TokenizerModel;
import io.megastream.proto.Frame;
import io.megastream.proto.FrameRef;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.RecoveryMode;
import io.megastream.proto.RecoveryStatus;
import io.megastream.proto.Topic;
import io.megastream.proto.Topics;
import io.megastream.sink.decode.MeshDecoder;
import io.megastream.train.image.SceneFrames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Frames and results on the real topics become an MP4 that FFmpeg reads back frame by frame. */
@ExtendWith(SharedKafka.class)
class OverlayVideoIT {

  @Test
  void shouldWriteAPlayableVideoWithEveryFrameOfTheCamera(
      EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    // Given: 6 rendered frames of one camera and a result for each person
    List<Frame> frames =
        SceneFrames.render(
            SceneFrames.scene(ProceduralBody.build(), 61, 6, 1, 320, 240), "overlay-a", "r1", 8);
    try (KafkaProducer<byte[], byte[]> p = producer(kafka)) {
      for (Frame f : frames) {
        send(p, Topics.FRAMES, f.getCameraId(), f);
        for (int i = 0; i < f.getPersonsCount(); i++) {
          send(p, Topics.MESHES, f.getCameraId(), result(f, i));
        }
      }
    }

    // When
    OverlayVideo.Result r;
    try (TokenizerModel tokenizer =
        TokenizerModel.load(Path.of("..", "models", "tokenizer"), ProceduralBody.build())) {
      r =
          new OverlayVideo(
                  Map.of("bootstrap.servers", kafka.bootstrapServers()), new MeshDecoder(tokenizer))
              .write("overlay-a", dir.resolve("a.mp4"), 5, Duration.ofMinutes(1));
    }

    // Then: FFmpeg reads back every frame at the camera's size
    assertThat(r.frames()).isEqualTo(6);
    assertThat(r.persons()).isEqualTo(frames.stream().mapToInt(Frame::getPersonsCount).sum());
    int read = 0;
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(r.file().toFile())) {
      g.start();
      assertThat(g.getImageWidth()).isEqualTo(320);
      assertThat(g.getImageHeight()).isEqualTo(240);
      while (g.grabImage() != null) {
        read++;
      }
      g.stop();
    }
    assertThat(read).isEqualTo(6);
  }

  private static MeshRecovery result(Frame f, int person) {
    MeshRecovery.Builder b =
        MeshRecovery.newBuilder()
            .setSchemaVersion(1)
            .setFrame(
                FrameRef.newBuilder()
                    .setCameraId(f.getCameraId())
                    .setSeq(f.getSeq())
                    .setIngestRunId(f.getIngestRunId())
                    .setCaptureTimeUs(f.getCaptureTimeUs()))
            .setStatus(RecoveryStatus.RECOVERY_STATUS_OK)
            .setPersonIndex(person)
            .setBox(f.getPersons(person).getBox())
            .setMode(RecoveryMode.RECOVERY_MODE_DETERMINISTIC)
            .setModelVersion("it")
            .addAllRotation6D(List.of(1f, 0f, 0f, 0f, 1f, 0f))
            .addAllCamera(List.of(0.5f, 0f, 0f));
    for (int t = 0; t < 54; t++) {
      b.addTokens((t * 37) % 512);
    }
    return b.build();
  }

  private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafkaBroker kafka) {
    Properties p = kafka.clientProperties();
    p.put("enable.idempotence", "true");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static <V> void send(
      KafkaProducer<byte[], byte[]> p, Topic<String, V> topic, String key, V value)
      throws Exception {
    p.send(topic.record(key, value)).get();
  }
}
