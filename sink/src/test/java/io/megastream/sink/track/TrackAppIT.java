package io.megastream.sink.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.broker.testing.SharedKafka;
import io.megastream.proto.FrameRef;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.RecoveryMode;
import io.megastream.proto.RecoveryStatus;
import io.megastream.proto.Topics;
import io.megastream.proto.Uncertainty;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The camera statistics view on the real broker, queried while the application runs. */
@ExtendWith(SharedKafka.class)
class TrackAppIT {

  @Test
  void shouldAnswerCameraStatisticsWhileRunning(EmbeddedKafkaBroker kafka) throws Exception {
    // Given: 4 results of camera "stats-a" over 1.5 s, one of them sampled
    Properties pp = kafka.clientProperties();
    pp.put("enable.idempotence", "true");
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int seq = 0; seq < 4; seq++) {
        MeshRecovery m =
            MeshRecovery.newBuilder()
                .setSchemaVersion(1)
                .setFrame(
                    FrameRef.newBuilder()
                        .setCameraId("stats-a")
                        .setSeq(seq)
                        .setCaptureTimeUs(1_000_000L + seq * 500_000L))
                .setStatus(RecoveryStatus.RECOVERY_STATUS_OK)
                .setMode(
                    seq == 2
                        ? RecoveryMode.RECOVERY_MODE_STOCHASTIC
                        : RecoveryMode.RECOVERY_MODE_DETERMINISTIC)
                .setUncertainty(Uncertainty.newBuilder().setSignal(0.5f))
                .addAllTokens(Collections.nCopies(54, 1))
                .addAllRotation6D(List.of(1f, 0f, 0f, 0f, 1f, 0f))
                .addAllCamera(List.of(0.5f, 0f, 0f))
                .build();
        p.send(Topics.MESHES.record("stats-a", m)).get();
      }
    }

    // When
    CameraStats stats = null;
    String overHttp;
    try (TrackApp app =
            new TrackApp(Map.of("bootstrap.servers", kafka.bootstrapServers()), "tracks-it", 0.5);
        TrackServer server = new TrackServer(app, "127.0.0.1", 0)) {
      app.start();
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (System.nanoTime() < deadline) {
        if (app.state() == KafkaStreams.State.RUNNING) {
          try {
            stats = app.cameraStats("stats-a");
          } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
            stats = null; // the store is still restoring
          }
          if (stats != null && stats.persons() == 4) {
            break;
          }
        }
        Thread.sleep(200);
      }
      java.net.http.HttpResponse<String> r =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + server.port() + "/cameras"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      overHttp = r.body();
    }

    // Then
    assertThat(stats).isNotNull();
    assertThat(stats.persons()).isEqualTo(4);
    assertThat(stats.stochasticShare()).isEqualTo(0.25);
    assertThat(stats.personsPerSecond()).isEqualTo(4 / 1.5);
    assertThat(overHttp).contains("\"camera\":\"stats-a\",\"persons\":4");
  }
}
