package io.megastream.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.broker.testing.SharedKafka;
import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.model.MegaModel;
import io.megastream.mega.motion.MotionClip;
import io.megastream.mega.motion.MotionGenerator;
import io.megastream.train.mega.MegaJobConfig;
import io.megastream.train.mega.MegaTrainingJob;
import io.megastream.train.mocap.MocapPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Both MEGA stages replay the real mocap topic, with the bundled tokenizer, and resume. */
@ExtendWith(SharedKafka.class)
class MegaTrainingIT {

  private static final Path TOKENIZER = Path.of("..", "models", "tokenizer");

  @Test
  void shouldPretrainThenTrainOnLandmarksAndResume(EmbeddedKafkaBroker kafka, @TempDir Path dir)
      throws Exception {
    // Given: 6 subjects of synthetic motion on the mocap topic
    Map<String, Object> props = Map.of("bootstrap.servers", kafka.bootstrapServers());
    MotionGenerator motion = MotionGenerator.builder().setSeed(77).optSubjects(6).build();
    try (MocapPublisher publisher = new MocapPublisher(props, ProceduralBody.NAME)) {
      for (int s = 0; s < 6; s++) {
        MotionClip c = motion.clip(s);
        publisher.publish(
            new MocapPublisher.Sequence(
                "mega-it-" + s,
                c.action().name(),
                "mega-it-subject-" + s,
                30f,
                c.frames().subList(0, 24),
                "test"));
      }
      publisher.flush(Duration.ofSeconds(30));
    }

    // When: stage 1 (tokens only), then stage 2 from it (landmarks in the torso's frame),
    // interrupted once and resumed
    MegaTrainingJob.Result pre =
        new MegaTrainingJob(config(props, dir, MegaJobConfig.Stage.PRETRAIN, null, 0)).run();
    MegaTrainingJob.Result partial =
        new MegaTrainingJob(
                config(props, dir, MegaJobConfig.Stage.POSE, dir.resolve("pretrain-out"), 1e-9))
            .run();
    MegaTrainingJob.Result done =
        new MegaTrainingJob(
                config(props, dir, MegaJobConfig.Stage.POSE, dir.resolve("pretrain-out"), 0))
            .run();

    // Then
    assertThat(pre.finished()).isTrue();
    assertThat(pre.heldOut()).containsKeys("held_out_token_loss", "held_out_masked_accuracy");
    assertThat(partial.finished()).isFalse();
    assertThat(partial.steps()).isEqualTo(4);
    assertThat(done.finished()).isTrue();
    assertThat(done.steps()).isEqualTo(8);
    assertThat(done.heldOut()).containsKeys("deterministic_pve_mm", "deterministic_token_accuracy");
    assertThat(done.heldOut().get("deterministic_pve_mm")).isPositive();
    MegaModel.Manifest manifest = MegaModel.readManifest(dir.resolve("pose-out"));
    assertThat(manifest.steps).isEqualTo(8);
    assertThat(manifest.conditioning).isEqualTo(MegaModel.Conditioning.POSE);
    assertThat(manifest.canonicalPose).isTrue();
    assertThat(manifest.tokenizerVersion).startsWith("tokenizer-");
    assertThat(manifest.provenance).containsKey("pretrained");
    try (MegaModel loaded = MegaModel.load(dir.resolve("pose-out"))) {
      assertThat(loaded.config().conditionTokens()).isEqualTo(33);
      assertThat(loaded.canonicalPose()).isTrue();
    }
  }

  private static MegaJobConfig config(
      Map<String, Object> props,
      Path dir,
      MegaJobConfig.Stage stage,
      Path pretrained,
      double maxMinutes) {
    String name = stage == MegaJobConfig.Stage.POSE ? "pose" : "pretrain";
    return new MegaJobConfig(
        props,
        stage,
        "tiny",
        TOKENIZER,
        pretrained,
        null,
        dir.resolve(name + "-work"),
        dir.resolve(name + "-out"),
        8,
        4,
        1e-3f,
        4,
        3,
        6,
        0.2,
        1,
        maxMinutes,
        stage == MegaJobConfig.Stage.POSE,
        stage == MegaJobConfig.Stage.POSE ? 16 : 0,
        0.5,
        MegaJobConfig.DEFAULT_RENDERED_OCCLUSION);
  }
}
