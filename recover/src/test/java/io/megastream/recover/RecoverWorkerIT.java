package io.megastream.recover;

import static io.megastream.recover.RecoverFixtures.config;
import static io.megastream.recover.RecoverFixtures.expectedIds;
import static io.megastream.recover.RecoverFixtures.frames;
import static io.megastream.recover.RecoverFixtures.producer;
import static io.megastream.recover.RecoverFixtures.readCommitted;
import static io.megastream.recover.RecoverFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.broker.testing.SharedKafka;
import io.megastream.mega.inference.PersonRecoverer;
import io.megastream.proto.DeadLetter;
import io.megastream.proto.DeadLetterReason;
import io.megastream.proto.Frame;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.RecoveryMode;
import io.megastream.proto.RecoveryStatus;
import io.megastream.proto.StochasticSamples;
import io.megastream.proto.Topics;
import io.megastream.recover.model.ModelLoadException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The recover worker against the real embedded broker, with the bundled model. */
@ExtendWith(SharedKafka.class)
class RecoverWorkerIT {

  @Test
  void shouldEmitExactlyOneResultPerPersonPerFrame(EmbeddedKafkaBroker kafka) throws Exception {
    // Given: two cameras of rendered people (camera b's persons with a tilted landmark ROI, as
    // the BlazePose detector gives them), and an empty frame
    String bootstrap = kafka.bootstrapServers();
    List<Frame> frames = new ArrayList<>(frames("once-a", 11, 4, 2));
    for (Frame f : frames("once-b", 12, 4, 1)) {
      Frame.Builder b = f.toBuilder();
      io.megastream.proto.Box box = f.getPersons(0).getBox();
      b.getPersonsBuilder(0)
          .setRoi(
              io.megastream.proto.Roi.newBuilder()
                  .setCenterX(box.getX() + box.getWidth() / 2)
                  .setCenterY(box.getY() + box.getHeight() / 2)
                  .setSide(box.getHeight() * 1.25f)
                  .setAngle(0.2f));
      frames.add(b.build());
    }
    Frame empty = frames("once-c", 13, 2, 1).get(0).toBuilder().clearPersons().build();
    frames.add(empty);
    try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
      for (Frame f : frames) {
        send(p, Topics.FRAMES, f.getCameraId(), List.of(f));
      }
    }
    List<String> expected = expectedIds(frames);

    // When: one worker, adaptive with threshold 0 and a budget of a whole batch (every person is
    // sampled), health served
    try (RecoverWorker worker =
        new RecoverWorker(
            config(bootstrap, "once", "w1")
                .optThreshold(0.0)
                .optMaxSampledPerBatch(8)
                .optMetricsPort(0)
                .build())) {
      worker.start();
      List<MeshRecovery> results =
          readCommitted(
              bootstrap,
              Topics.MESHES,
              m -> m.getFrame().getCameraId().startsWith("once-"),
              got -> got.size() >= expected.size(),
              Duration.ofMinutes(3));

      // Then: one per (camera, seq, person), the empty frame accounted, all sampled
      assertThat(results.stream().map(RecoverFixtures::id).toList())
          .containsExactlyInAnyOrderElementsOf(expected);
      MeshRecovery none =
          results.stream()
              .filter(m -> m.getFrame().getCameraId().equals("once-c"))
              .findFirst()
              .get();
      assertThat(none.getStatus()).isEqualTo(RecoveryStatus.RECOVERY_STATUS_NO_PERSONS);
      List<MeshRecovery> ok =
          results.stream().filter(m -> m.getStatus() == RecoveryStatus.RECOVERY_STATUS_OK).toList();
      assertThat(ok).hasSize(expected.size() - 1);
      assertThat(ok)
          .allSatisfy(
              m -> {
                assertThat(m.getTokensList()).hasSize(54);
                assertThat(m.getRotation6DList()).hasSize(6);
                assertThat(m.getCameraList()).hasSize(3);
                assertThat(m.getMode()).isEqualTo(RecoveryMode.RECOVERY_MODE_STOCHASTIC);
                assertThat(m.getModelVersion()).isEqualTo(worker.modelVersion());
                assertThat(m.getTimings().getBatchSize()).isPositive();
                assertThat(m.getUncertainty().getMeanVertexSdMm()).isPositive();
                assertThat(m.getWorkerId()).isEqualTo("w1");
                // the crop the result refers to: the ROI when the detector gave one, else the
                // square of 1.25 x the box's longer side around the box
                io.megastream.pose.CropWindow want =
                    m.getFrame().getCameraId().equals("once-b")
                        ? new io.megastream.pose.CropWindow(
                            m.getBox().getX() + m.getBox().getWidth() / 2,
                            m.getBox().getY() + m.getBox().getHeight() / 2,
                            m.getBox().getHeight() * 1.25f,
                            0.2f)
                        : io.megastream.pose.CropWindow.around(
                            m.getBox().getX(),
                            m.getBox().getY(),
                            m.getBox().getWidth(),
                            m.getBox().getHeight());
                assertThat(m.getCrop().getCenterX())
                    .isCloseTo((float) want.centerX(), within(0.01f));
                assertThat(m.getCrop().getCenterY())
                    .isCloseTo((float) want.centerY(), within(0.01f));
                assertThat(m.getCrop().getSide()).isCloseTo((float) want.side(), within(0.01f));
                assertThat(m.getCrop().getAngle()).isCloseTo((float) want.angle(), within(1e-6f));
              });
      List<StochasticSamples> samples =
          readCommitted(
              bootstrap,
              Topics.SAMPLES,
              s -> s.getFrame().getCameraId().startsWith("once-"),
              got -> got.size() >= ok.size(),
              Duration.ofSeconds(30));
      assertThat(samples).hasSize(ok.size());
      assertThat(samples.get(0).getSamplesList()).hasSize(2);
      assertThat(samples.get(0).getVertexSdMmCount()).isGreaterThan(1000);

      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + worker.healthPort();
      assertThat(get(http, base + "/health/live").statusCode()).isEqualTo(200);
      assertThat(get(http, base + "/health/ready").statusCode()).isEqualTo(200);
      String metrics = get(http, base + "/metrics").body();
      assertThat(metrics)
          .contains("megastream_recover_persons_total")
          .contains("megastream_recover_inference_seconds_bucket")
          .contains("megastream_recover_stochastic_ratio")
          .contains("kafka_consumer_fetch_manager_records_lag");
    }
  }

  @ParameterizedTest(name = "pipelined = {0}")
  @ValueSource(booleans = {true, false})
  void shouldKeepExactlyOnceWhenAWorkerCrashesMidStreamAndAnotherJoins(
      boolean pipelined, EmbeddedKafkaBroker kafka) throws Exception {
    // Given: frames of three cameras, a worker (pipelined: inference on its own thread, or
    // serial) that will die before committing its first batch
    String bootstrap = kafka.bootstrapServers();
    String group = "crash-" + pipelined;
    String prefix = "crash-" + pipelined + "-";
    List<Frame> frames = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      frames.addAll(frames(prefix + c, 20 + c, 4, 1));
    }
    try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
      for (Frame f : frames) {
        send(p, Topics.FRAMES, f.getCameraId(), List.of(f));
      }
    }
    RecoverConfig base =
        config(bootstrap, group, "doomed")
            .optMode(PersonRecoverer.Mode.DETERMINISTIC)
            .optPipelined(pipelined)
            .build();

    // When: the first worker crashes mid-stream (results produced, never committed), a second
    // joins the group, and later a third joins and the second leaves (two rebalances)
    RecoverWorker doomed = new RecoverWorker(base);
    doomed.crashBeforeNextCommit();
    doomed.start();
    assertThat(doomed.awaitStopped(Duration.ofMinutes(2))).isTrue();
    List<MeshRecovery> results;
    try (RecoverWorker second =
        new RecoverWorker(
            config(bootstrap, group, "second")
                .optMode(PersonRecoverer.Mode.DETERMINISTIC)
                .optPipelined(pipelined)
                .build())) {
      second.start();
      Thread.sleep(3000);
      try (RecoverWorker third =
          new RecoverWorker(
              config(bootstrap, group, "third")
                  .optMode(PersonRecoverer.Mode.DETERMINISTIC)
                  .optPipelined(pipelined)
                  .build())) {
        third.start();
        Thread.sleep(3000);
        second.close();
        results =
            readCommitted(
                bootstrap,
                Topics.MESHES,
                m -> m.getFrame().getCameraId().startsWith(prefix),
                got -> got.size() >= frames.size(),
                Duration.ofMinutes(3));
      }
    } finally {
      doomed.close();
    }

    // Then: exactly one committed result per person per frame, none from the crashed worker
    Map<String, Long> counts =
        results.stream().collect(Collectors.groupingBy(RecoverFixtures::id, Collectors.counting()));
    assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(expectedIds(frames));
    assertThat(counts.values()).allMatch(n -> n == 1);
    assertThat(results).noneMatch(m -> m.getWorkerId().equals("doomed"));
  }

  @Test
  void shouldRouteEveryBadInputToDeadLetterAndKeepGoing(EmbeddedKafkaBroker kafka)
      throws Exception {
    // Given: a good frame, then garbage, a foreign message, a future schema, an undecodable
    // image and a box outside the image, then another good frame
    String bootstrap = kafka.bootstrapServers();
    List<Frame> good = frames("bad-ok", 31, 2, 1);
    Frame template = good.get(0);
    try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
      send(p, Topics.FRAMES, "bad-ok", List.of(good.get(0)));
      RecoverFixtures.sendRaw(
          p,
          Topics.FRAMES.name(),
          "bad-garbage",
          new byte[] {1, 2, 3, 4, 5},
          new org.apache.kafka.common.header.internals.RecordHeaders());
      org.apache.kafka.common.header.internals.RecordHeaders h =
          new org.apache.kafka.common.header.internals.RecordHeaders();
      byte[] label =
          Topics.LABELS
              .valueSerde()
              .serializer()
              .serialize(
                  Topics.FRAMES.name(),
                  h,
                  io.megastream.proto.Label.newBuilder().setSchemaVersion(1).build());
      RecoverFixtures.sendRaw(p, Topics.FRAMES.name(), "bad-foreign", label, h);
      org.apache.kafka.common.header.internals.RecordHeaders h2 =
          new org.apache.kafka.common.header.internals.RecordHeaders();
      RecoverFixtures.sendRaw(
          p,
          Topics.FRAMES.name(),
          "bad-future",
          template.toBuilder().setCameraId("bad-future").setSchemaVersion(99).build().toByteArray(),
          h2);
      send(
          p,
          Topics.FRAMES,
          "bad-image",
          List.of(
              template.toBuilder()
                  .setCameraId("bad-image")
                  .setImage(com.google.protobuf.ByteString.copyFrom(new byte[] {9, 9, 9}))
                  .build()));
      Frame outside =
          template.toBuilder()
              .setCameraId("bad-box")
              .addPersons(
                  io.megastream.proto.PersonBox.newBuilder()
                      .setBox(
                          io.megastream.proto.Box.newBuilder()
                              .setX(5000)
                              .setY(10)
                              .setWidth(50)
                              .setHeight(80)))
              .build();
      send(p, Topics.FRAMES, "bad-box", List.of(outside));
      send(p, Topics.FRAMES, "bad-ok", List.of(good.get(1)));
    }

    // When
    try (RecoverWorker worker =
        new RecoverWorker(
            config(bootstrap, "bad", "w-bad")
                .optMode(PersonRecoverer.Mode.DETERMINISTIC)
                .build())) {
      worker.start();
      List<DeadLetter> dead =
          readCommitted(
              bootstrap,
              Topics.DEAD_LETTER,
              d ->
                  d.getStage().equals("recover")
                      && new String(d.getSourceKey().toByteArray()).startsWith("bad-"),
              got -> got.size() >= 5,
              Duration.ofMinutes(2));
      List<MeshRecovery> results =
          readCommitted(
              bootstrap,
              Topics.MESHES,
              m -> m.getFrame().getCameraId().startsWith("bad-"),
              got -> got.size() >= 4,
              Duration.ofMinutes(2));

      // Then: each bad record on dead-letter with its reason; good frames still ran
      Map<String, DeadLetterReason> reasons =
          dead.stream()
              .collect(
                  Collectors.toMap(
                      d -> new String(d.getSourceKey().toByteArray()),
                      DeadLetter::getReason,
                      (a, b) -> a));
      assertThat(reasons)
          .containsEntry("bad-garbage", DeadLetterReason.DEAD_LETTER_REASON_MALFORMED)
          .containsEntry("bad-foreign", DeadLetterReason.DEAD_LETTER_REASON_FOREIGN_TYPE)
          .containsEntry("bad-future", DeadLetterReason.DEAD_LETTER_REASON_UNSUPPORTED_VERSION)
          .containsEntry("bad-image", DeadLetterReason.DEAD_LETTER_REASON_UNDECODABLE_IMAGE)
          .containsEntry("bad-box", DeadLetterReason.DEAD_LETTER_REASON_INVALID_CONTENT);
      assertThat(dead).allSatisfy(d -> assertThat(d.getSourceValueSize()).isPositive());
      Map<String, RecoveryStatus> byId =
          results.stream().collect(Collectors.toMap(RecoverFixtures::id, MeshRecovery::getStatus));
      assertThat(byId)
          .containsEntry("bad-ok/0/0", RecoveryStatus.RECOVERY_STATUS_OK)
          .containsEntry("bad-ok/1/0", RecoveryStatus.RECOVERY_STATUS_OK)
          .containsEntry("bad-box/0/0", RecoveryStatus.RECOVERY_STATUS_OK)
          .containsEntry("bad-box/0/1", RecoveryStatus.RECOVERY_STATUS_REJECTED);
      assertThat(worker.failure()).isNull();
    }
  }

  @Test
  void shouldRecordStaleFramesAsSkippedInLiveMode(EmbeddedKafkaBroker kafka) throws Exception {
    // Given: a frame captured an hour ago and a fresh one, for a worker in live mode (max age 60 s)
    String bootstrap = kafka.bootstrapServers();
    List<Frame> frames = frames("live-a", 51, 2, 2);
    Frame old =
        frames.get(0).toBuilder()
            .setCaptureTimeUs((System.currentTimeMillis() - 3_600_000L) * 1000)
            .build();
    Frame fresh =
        frames.get(1).toBuilder().setCaptureTimeUs(System.currentTimeMillis() * 1000).build();
    try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
      send(p, Topics.FRAMES, "live-a", List.of(old, fresh));
    }

    // When
    try (RecoverWorker worker =
        new RecoverWorker(
            config(bootstrap, "live", "w-live")
                .optMode(PersonRecoverer.Mode.DETERMINISTIC)
                .optMaxAge(Duration.ofSeconds(60))
                .build())) {
      worker.start();
      List<MeshRecovery> results =
          readCommitted(
              bootstrap,
              Topics.MESHES,
              m -> m.getFrame().getCameraId().equals("live-a"),
              got -> got.size() >= old.getPersonsCount() + fresh.getPersonsCount(),
              Duration.ofMinutes(2));

      // Then: the old frame is accounted person by person as skipped, the fresh one ran
      assertThat(results)
          .filteredOn(m -> m.getFrame().getSeq() == 0)
          .hasSize(old.getPersonsCount())
          .allMatch(m -> m.getStatus() == RecoveryStatus.RECOVERY_STATUS_SKIPPED_STALE);
      assertThat(results)
          .filteredOn(m -> m.getFrame().getSeq() == 1)
          .hasSize(fresh.getPersonsCount())
          .allMatch(m -> m.getStatus() == RecoveryStatus.RECOVERY_STATUS_OK);
    }
  }

  @Test
  void shouldRaiseTheSamplingThresholdWhileBehindAndLowerItWhenCaughtUp(EmbeddedKafkaBroker kafka)
      throws Exception {
    // Given: a backlog of 40 fresh one-person frames for a live-mode worker that would sample
    // everyone (threshold 0) but degrades once more than 4 frames wait
    String bootstrap = kafka.bootstrapServers();
    RecoverFixtures.startAtEnd(bootstrap, "lag");
    long now = System.currentTimeMillis() * 1000;
    List<Frame> frames =
        frames("lag-a", 61, 40, 1).stream()
            .map(f -> f.toBuilder().setCaptureTimeUs(now).build())
            .toList();
    try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
      send(p, Topics.FRAMES, "lag-a", frames);
    }

    // When
    try (RecoverWorker worker =
        new RecoverWorker(
            config(bootstrap, "lag", "w-lag")
                .optThreshold(0.0)
                .optMaxSampledPerBatch(8)
                .optMaxAge(Duration.ofHours(1))
                .optLagBound(4)
                .optMetricsPort(0)
                .build())) {
      worker.start();
      List<MeshRecovery> results =
          readCommitted(
              bootstrap,
              Topics.MESHES,
              m -> m.getFrame().getCameraId().equals("lag-a"),
              got -> got.size() >= frames.size(),
              Duration.ofMinutes(3));

      // Then: every frame ran; the threshold in force climbed to 1 (nobody sampled, and those
      // results say sampling was skipped) and came down again for the last batch
      assertThat(results).hasSize(frames.size());
      assertThat(results).allMatch(m -> m.getStatus() == RecoveryStatus.RECOVERY_STATUS_OK);
      List<MeshRecovery> inOrder =
          results.stream()
              .sorted(java.util.Comparator.comparingLong(m -> m.getFrame().getSeq()))
              .toList();
      assertThat(inOrder.get(0).getSamplingThreshold()).isGreaterThan(0f).isLessThan(1f);
      List<MeshRecovery> stopped =
          results.stream().filter(m -> m.getSamplingThreshold() == 1f).toList();
      assertThat(stopped)
          .isNotEmpty()
          .allMatch(
              m ->
                  m.getMode() == RecoveryMode.RECOVERY_MODE_DETERMINISTIC
                      && m.getSamplingSkipped());
      assertThat(inOrder.get(inOrder.size() - 1).getSamplingThreshold()).isLessThan(1f);
      assertThat(results)
          .filteredOn(m -> m.getSamplingThreshold() < 1f)
          .anyMatch(m -> m.getMode() == RecoveryMode.RECOVERY_MODE_STOCHASTIC);
      String metrics =
          get(HttpClient.newHttpClient(), "http://127.0.0.1:" + worker.healthPort() + "/metrics")
              .body();
      assertThat(metrics)
          .contains("megastream_recover_sampling_threshold")
          .contains("megastream_recover_lag_frames");
    }
  }

  @Test
  void shouldRefuseToStartWithoutAModel(EmbeddedKafkaBroker kafka) {
    assertThatThrownBy(
            () ->
                new RecoverWorker(
                    config(kafka.bootstrapServers(), "nomodel", "w")
                        .optModelDir(Path.of("no", "such", "model"))
                        .build()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("no" + java.io.File.separator + "such");
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
