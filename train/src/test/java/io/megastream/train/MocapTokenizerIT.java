package io.megastream.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.broker.testing.SharedKafka;
import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.Joint;
import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.tokenizer.TokenizerConfig;
import io.megastream.mega.tokenizer.TokenizerModel;
import io.megastream.train.mocap.MocapPublisher;
import io.megastream.train.mocap.MocapReader;
import io.megastream.train.mocap.MocapSequence;
import io.megastream.train.tokenizer.TokenizerJobConfig;
import io.megastream.train.tokenizer.TokenizerTrainingJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Motion goes through the real mocap topic and back into a tokenizer training run. */
@ExtendWith(SharedKafka.class)
class MocapTokenizerIT {

  static List<BodyParams> knees(int frames, double shape0) {
    List<BodyParams> out = new ArrayList<>();
    for (int f = 0; f < frames; f++) {
      double[] pose = new double[72];
      double phase = f / (double) frames;
      pose[Joint.LEFT_KNEE.ordinal() * 3] = 1.2 * phase;
      pose[Joint.RIGHT_KNEE.ordinal() * 3] = 1.2 * (1 - phase);
      pose[Joint.LEFT_SHOULDER.ordinal() * 3 + 2] = -1.2;
      pose[Joint.RIGHT_SHOULDER.ordinal() * 3 + 2] = 1.2;
      double[] shape = new double[12];
      shape[0] = shape0;
      out.add(new BodyParams(pose, shape, new double[] {0, 0, 0.01 * f}));
    }
    return out;
  }

  @Test
  void shouldReplayPublishedMotionAndTrainAResumableTokenizer(
      EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    // Given: 6 subjects x 1 sequence on the mocap topic
    Map<String, Object> props = Map.of("bootstrap.servers", kafka.bootstrapServers());
    try (MocapPublisher publisher = new MocapPublisher(props, ProceduralBody.NAME)) {
      for (int s = 0; s < 6; s++) {
        publisher.publish(
            new MocapPublisher.Sequence(
                "it-seq-" + s, "squat", "it-subject-" + s, 30f, knees(20, s - 2.5), "test"));
      }
      publisher.flush(Duration.ofSeconds(30));
    }

    // When: read back
    MocapReader.Result read = new MocapReader(props).readAll(Duration.ofSeconds(60));

    // Then: every frame, in order, with its values
    List<MocapSequence> ours =
        read.sequences().stream().filter(q -> q.id().startsWith("it-seq-")).toList();
    assertThat(ours).hasSize(6);
    MocapSequence first = ours.get(0);
    assertThat(first.frames()).hasSize(20);
    assertThat(first.action()).isEqualTo("squat");
    assertThat(first.frames().get(19).pose()[Joint.LEFT_KNEE.ordinal() * 3])
        .isCloseTo(1.2 * 19 / 20, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(first.frames().get(19).translation()[2])
        .isCloseTo(0.19, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(read.provenance()).startsWith("mocap[");

    // And when: a tiny tokenizer trains 10 steps, is interrupted (maxMinutes tiny), and resumes
    int v = ProceduralBody.build().vertexCount();
    TokenizerConfig tiny =
        new TokenizerConfig(
            new int[] {v, 360, 54}, new int[] {8, 16, 32}, 5, 5, 3, 64, 9, 0.25, 0.9, 10, 0.1);
    TokenizerJobConfig firstRun =
        new TokenizerJobConfig(
            props, dir.resolve("work"), dir.resolve("out"), 20, 4, 3e-3f, 10, 3, 2, 1, 1e-9, tiny);
    TokenizerTrainingJob.Result partial = new TokenizerTrainingJob(firstRun).run();
    TokenizerJobConfig secondRun =
        new TokenizerJobConfig(
            props, dir.resolve("work"), dir.resolve("out"), 20, 4, 3e-3f, 10, 3, 2, 1, 0, tiny);
    TokenizerTrainingJob.Result done = new TokenizerTrainingJob(secondRun).run();

    // Then
    assertThat(partial.finished()).isFalse();
    assertThat(partial.steps()).isEqualTo(10);
    assertThat(done.finished()).isTrue();
    assertThat(done.steps()).isEqualTo(20);
    TokenizerModel.Manifest manifest = TokenizerModel.readManifest(dir.resolve("out"));
    assertThat(manifest.steps).isEqualTo(20);
    assertThat(manifest.metrics).containsKeys("held_out_pve_mm", "perplexity", "cpu_seconds");
    assertThat((List<?>) manifest.provenance.get("held_out_subjects")).isNotEmpty();
    assertThat(manifest.bodyModel).isEqualTo(ProceduralBody.NAME);
  }
}
