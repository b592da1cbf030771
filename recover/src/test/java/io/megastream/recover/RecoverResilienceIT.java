package io.megastream.recover;

import static io.megastream.recover.RecoverFixtures.config;
import static io.megastream.recover.RecoverFixtures.expectedIds;
import static io.megastream.recover.RecoverFixtures.frames;
import static io.megastream.recover.RecoverFixtures.producer;
import static io.megastream.recover.RecoverFixtures.readCommitted;
import static io.megastream.recover.RecoverFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.broker.testing.SharedKafka;
import io.megastream.proto.DeadLetter;
import io.megastream.proto.DeadLetterReason;
import io.megastream.proto.Frame;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.PersonBox;
import io.megastream.proto.RecoveryMode;
import io.megastream.proto.RecoveryStatus;
import io.megastream.proto.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Records that used to stop a camera: a crowd frame, and a record that kills its worker. */
@ExtendWith(SharedKafka.class)
class RecoverResilienceIT {

  @Test
  void shouldDeadLetterACrowdFrameAndKeepEveryCameraFlowing(EmbeddedKafkaBroker kafka)
      throws Exception {
    // Given: camera A sends a frame with 1,000 person boxes between good frames; camera B too
    String bootstrap = kafka.bootstrapServers();
    String group = "crowd";
    RecoverFixtures.startAtEnd(bootstrap, group);
    List<Frame> a = frames("crowd-a", 41, 4, 1);
    Frame template = a.get(1);
    PersonBox one = template.getPersons(0);
    Frame.Builder crowd = template.toBuilder().clearPersons();
    for (int i = 0; i < 1000; i++) {
      crowd.addPersons(
          one.toBuilder()
              .setTrackId(1000 + i)
              .setBox(one.getBox().toBuilder().setX(one.getBox().getX() + (i % 7) - 3)));
    }
    a.set(1, crowd.build());
    List<Frame> b = frames("crowd-b", 42, 3, 2);
    List<Frame> all = new ArrayList<>(a);
    all.addAll(b);
    try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
      for (Frame f : all) {
        send(p, Topics.FRAMES, f.getCameraId(), List.of(f));
      }
    }

    // When: one worker, every person wants sampling, a cap of 6 persons and a budget of 1
    try (RecoverWorker worker =
        new RecoverWorker(
            config(bootstrap, group, "crowd-1")
                .optThreshold(0.0)
                .optMaxPersonsPerFrame(6)
                .optMaxSampledPerBatch(1)
                .build())) {
      worker.start();
      List<String> expected = expectedIds(all);
      List<MeshRecovery> results =
          readCommitted(
              bootstrap,
              Topics.MESHES,
              m -> m.getFrame().getCameraId().startsWith("crowd-"),
              got -> got.size() >= expected.size(),
              Duration.ofMinutes(3));

      // Then: every person of every frame accounted once; of the crowd, 6 ran and 994 are
      // REJECTED for the cap; both cameras flowed past it
      assertThat(results.stream().map(RecoverFixtures::id).toList())
          .containsExactlyInAnyOrderElementsOf(expected);
      Map<Boolean, List<MeshRecovery>> ofCrowd =
          results.stream()
              .filter(m -> m.getPersonsInFrame() == 1000)
              .collect(
                  Collectors.partitioningBy(
                      m -> m.getStatus() == RecoveryStatus.RECOVERY_STATUS_OK));
      assertThat(ofCrowd.get(true)).hasSize(6);
      assertThat(ofCrowd.get(false))
          .hasSize(994)
          .allSatisfy(
              m -> {
                assertThat(m.getStatus()).isEqualTo(RecoveryStatus.RECOVERY_STATUS_REJECTED);
                assertThat(m.getStatusReason()).contains("person cap");
              });
      List<MeshRecovery> ok =
          results.stream().filter(m -> m.getStatus() == RecoveryStatus.RECOVERY_STATUS_OK).toList();
      assertThat(ok).hasSize(3 + 6 + 3 * 2);
      // the sampling budget: at most one sampled person per batch, the others say it was skipped
      assertThat(ofCrowd.get(true).stream().filter(m -> m.getSamplingSkipped()).count())
          .isGreaterThanOrEqualTo(5);
      assertThat(
              ofCrowd.get(true).stream()
                  .filter(m -> m.getMode() == RecoveryMode.RECOVERY_MODE_STOCHASTIC)
                  .count())
          .isLessThanOrEqualTo(1);
      // bounded: no batch came near max.poll.interval.ms (10 s in these tests)
      assertThat(ok.stream().mapToLong(m -> m.getTimings().getInferenceUs()).max().getAsLong())
          .isLessThan(Duration.ofSeconds(8).toNanos() / 1000);
      List<DeadLetter> dead =
          readCommitted(
              bootstrap,
              Topics.DEAD_LETTER,
              d -> d.getCameraId().equals("crowd-a"),
              got -> !got.isEmpty(),
              Duration.ofSeconds(30));
      assertThat(dead).hasSize(1);
      assertThat(dead.get(0).getReason())
          .isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_INVALID_CONTENT);
      assertThat(dead.get(0).getDetail())
          .contains("1000 person boxes")
          .contains("--max-persons-per-frame 6");
      assertThat(worker.failure()).isNull();
    }
  }

  @Test
  void shouldDeadLetterARecordThatKilledItsWorkerTwice(EmbeddedKafkaBroker kafka) throws Exception {
    // Given: camera P's first record kills any worker that runs it (a native crash, simulated);
    // good frames follow it on P and on camera Q
    String bootstrap = kafka.bootstrapServers();
    String group = "poison";
    RecoverFixtures.startAtEnd(bootstrap, group);
    List<Frame> p = frames("poison-p", 51, 3, 1);
    List<Frame> q = frames("poison-q", 52, 3, 1);
    Frame poison = p.get(0);
    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
      for (int i = 0; i < 3; i++) {
        send(producer, Topics.FRAMES, "poison-p", List.of(p.get(i)));
        send(producer, Topics.FRAMES, "poison-q", List.of(q.get(i)));
      }
    }
    java.util.function.Predicate<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>>
        kills = r -> isFrame(r, poison);

    // When: a worker runs it and dies; its restart (same id) runs it alone and dies again
    List<RecoverWorker> dead = new ArrayList<>();
    for (int attempt = 1; attempt <= 2; attempt++) {
      RecoverWorker w = new RecoverWorker(config(bootstrap, group, "poison-1").build());
      dead.add(w);
      w.crashWhileProcessing(kills);
      w.start();
      assertThat(w.awaitStopped(Duration.ofMinutes(2)))
          .as("attempt %d killed the worker", attempt)
          .isTrue();
    }

    // Then: the third worker (which would die too) dead-letters it and both cameras flow on
    try (RecoverWorker third = new RecoverWorker(config(bootstrap, group, "poison-1").build())) {
      third.crashWhileProcessing(kills);
      third.start();
      List<Frame> all = new ArrayList<>(p);
      all.addAll(q);
      List<String> expected = expectedIds(all);
      List<MeshRecovery> results =
          readCommitted(
              bootstrap,
              Topics.MESHES,
              m -> m.getFrame().getCameraId().startsWith("poison-"),
              got -> got.size() >= expected.size(),
              Duration.ofMinutes(2));
      assertThat(results.stream().map(RecoverFixtures::id).toList())
          .containsExactlyInAnyOrderElementsOf(expected);
      MeshRecovery rejected =
          results.stream()
              .filter(
                  m ->
                      m.getFrame().getSeq() == poison.getSeq()
                          && m.getFrame().getCameraId().equals("poison-p"))
              .findFirst()
              .get();
      assertThat(rejected.getStatus()).isEqualTo(RecoveryStatus.RECOVERY_STATUS_REJECTED);
      assertThat(rejected.getStatusReason()).contains("poison record");
      assertThat(results)
          .filteredOn(m -> m != rejected)
          .allSatisfy(m -> assertThat(m.getStatus()).isEqualTo(RecoveryStatus.RECOVERY_STATUS_OK));
      List<DeadLetter> letters =
          readCommitted(
              bootstrap,
              Topics.DEAD_LETTER,
              d -> d.getCameraId().equals("poison-p"),
              got -> !got.isEmpty(),
              Duration.ofSeconds(30));
      assertThat(letters).hasSize(1);
      assertThat(letters.get(0).getReason())
          .isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_PROCESSING_FAILED);
      assertThat(letters.get(0).getAttempts()).isEqualTo(3);
      assertThat(letters.get(0).getSeq()).isEqualTo(poison.getSeq());
      assertThat(third.failure()).isNull();
    } finally {
      dead.forEach(RecoverWorker::close);
    }
  }

  private static boolean isFrame(
      org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> r, Frame f) {
    try {
      Frame got = Topics.FRAMES.decodeValue(r.headers(), r.value());
      return got.getCameraId().equals(f.getCameraId()) && got.getSeq() == f.getSeq();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
