package io.megastream.mega.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.mega.model.MegaConfig;
import io.megastream.mega.model.MegaGenerator;
import io.megastream.mega.model.MegaModel;
import io.megastream.mega.pose.BlazePose;
import io.megastream.mega.pose.PoseConditioning;
import io.megastream.mega.render.SceneRenderer;
import io.megastream.mega.render.SyntheticScene;
import io.megastream.mega.tokenizer.TokenizerModel;
import io.megastream.pose.Images;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

class PersonRecovererTest {

  @Test
  void shouldRecoverEveryPersonAndSampleOnlyTheUncertainOnes() throws Exception {
    // Given: a rendered two-person frame and an (untrained) tiny pose model
    SkinnedBodyModel body = ProceduralBody.build();
    SceneRenderer.Frame frame = twoPersons(body);
    List<PersonRecoverer.Box> boxes = boxes(frame);
    try (MegaModel mega = tinyPoseModel();
        TokenizerModel tokenizer = TokenizerModel.load(Path.of("..", "models", "tokenizer"), body);
        Mat image = Images.toBgr(frame.pixels(), frame.width(), frame.height(), null)) {
      MegaGenerator.Sampling sampling = MegaGenerator.Sampling.conditional(3, 2, 1.0);

      // When: adaptive with threshold 0 (an untrained model is never sure) and 1 (never samples)
      PersonRecoverer.Result always;
      PersonRecoverer.Result never;
      try (PersonRecoverer r =
          new PersonRecoverer(
              mega,
              tokenizer,
              Conditioner.pose(BlazePose.load(BlazePose.Variant.LITE)),
              new PersonRecoverer.Options(PersonRecoverer.Mode.ADAPTIVE, 0.0, sampling, 1))) {
        always = r.recover(List.of(image), List.of(boxes));
      }
      try (PersonRecoverer r =
          new PersonRecoverer(
              mega,
              tokenizer,
              Conditioner.pose(BlazePose.load(BlazePose.Variant.LITE)),
              new PersonRecoverer.Options(PersonRecoverer.Mode.ADAPTIVE, 1.0, sampling, 1))) {
        never = r.recover(List.of(image), List.of(boxes));
      }

      // Then
      assertThat(always.persons()).hasSize(2);
      assertThat(always.persons()).allMatch(PersonRecoverer.Person::stochastic);
      assertThat(always.persons().get(0).samples()).hasDimensions(3, 54);
      assertThat(always.persons().get(0).uncertainty().perVertexStdMm())
          .hasSize(body.vertexCount());
      assertThat(never.persons()).noneMatch(PersonRecoverer.Person::stochastic);
      assertThat(never.persons().get(0).tokens()).hasSize(54);
      assertThat(never.persons().get(0).landmarks().presence()).isGreaterThan(0.5f);
    }
  }

  @Test
  void shouldKeepThePersonsARaisedThresholdOrAPassedDeadlineExcludesDeterministicAndSaySo()
      throws Exception {
    // Given: a rendered two-person frame, a tiny pose model that is never sure, adaptive mode
    // with threshold 0 (it wants to sample everyone)
    SkinnedBodyModel body = ProceduralBody.build();
    SceneRenderer.Frame frame = twoPersons(body);
    List<PersonRecoverer.Box> boxes = boxes(frame);
    try (MegaModel mega = tinyPoseModel();
        TokenizerModel tokenizer = TokenizerModel.load(Path.of("..", "models", "tokenizer"), body);
        Mat image = Images.toBgr(frame.pixels(), frame.width(), frame.height(), null);
        PersonRecoverer r =
            new PersonRecoverer(
                mega,
                tokenizer,
                Conditioner.pose(BlazePose.load(BlazePose.Variant.LITE)),
                new PersonRecoverer.Options(
                    PersonRecoverer.Mode.ADAPTIVE,
                    0.0,
                    MegaGenerator.Sampling.conditional(3, 2, 1.0),
                    1))) {
      // When: the threshold raised to 1 (a worker far behind), a deadline already passed, none
      PersonRecoverer.Result raised =
          r.recover(
              List.of(image),
              List.of(boxes),
              new PersonRecoverer.Limits(8, 1.0, Long.MAX_VALUE),
              () -> false);
      PersonRecoverer.Result late =
          r.recover(
              List.of(image),
              List.of(boxes),
              new PersonRecoverer.Limits(8, 0.0, System.nanoTime() - 1),
              () -> false);
      PersonRecoverer.Result free =
          r.recover(
              List.of(image),
              List.of(boxes),
              new PersonRecoverer.Limits(8, 0.0, Long.MAX_VALUE),
              () -> false);

      // Then: excluded persons keep the deterministic pass and are marked sampling-skipped
      for (PersonRecoverer.Result excluded : List.of(raised, late)) {
        assertThat(excluded.persons()).hasSize(2);
        assertThat(excluded.persons())
            .noneMatch(PersonRecoverer.Person::stochastic)
            .allMatch(PersonRecoverer.Person::samplingSkipped);
      }
      assertThat(free.persons())
          .allMatch(PersonRecoverer.Person::stochastic)
          .noneMatch(PersonRecoverer.Person::samplingSkipped);
    }
  }

  @Test
  void shouldRecoverPersonsWithAnImageModelThroughItsBackbone() throws Exception {
    SkinnedBodyModel body = ProceduralBody.build();
    SyntheticScene scene =
        SyntheticScene.builder(body).optPersons(2).optSeed(4).optFrames(2).build();
    SceneRenderer.Frame frame = scene.next();
    List<PersonRecoverer.Box> boxes =
        frame.persons().stream()
            .map(t -> new PersonRecoverer.Box(t.box()[0], t.box()[1], t.box()[2], t.box()[3]))
            .toList();
    try (MegaModel mega =
            MegaModel.create(
                MegaConfig.tiny(
                    io.megastream.mega.image.ImageBackbone.TOKENS,
                    io.megastream.mega.image.ImageBackbone.CHANNELS),
                MegaModel.Conditioning.IMAGE);
        Mat image = Images.toBgr(frame.pixels(), frame.width(), frame.height(), null);
        PersonRecoverer r =
            new PersonRecoverer(
                mega,
                null,
                Conditioner.image(io.megastream.mega.image.ImageBackbone.create()),
                new PersonRecoverer.Options(
                    PersonRecoverer.Mode.DETERMINISTIC,
                    0.5,
                    MegaGenerator.Sampling.conditional(2, 2, 1),
                    1))) {
      PersonRecoverer.Result result = r.recover(List.of(image), List.of(boxes));
      assertThat(result.persons()).hasSize(2);
      assertThat(result.persons().get(1).tokens()).hasSize(54);
      assertThat(result.persons().get(1).landmarks()).isNull();
      assertThat(result.persons().get(1).crop().side()).isPositive();
    }
  }

  @Test
  void shouldRefuseAConditionerThatDoesNotFeedTheModel() throws Exception {
    try (MegaModel mega = MegaModel.create(MegaConfig.tiny(0, 1), MegaModel.Conditioning.NONE)) {
      Conditioner pose = Conditioner.pose(BlazePose.load(BlazePose.Variant.LITE));
      assertThatThrownBy(
              () ->
                  new PersonRecoverer(
                      mega,
                      null,
                      pose,
                      new PersonRecoverer.Options(
                          PersonRecoverer.Mode.DETERMINISTIC,
                          0.5,
                          MegaGenerator.Sampling.conditional(2, 2, 1),
                          1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("NONE");
    }
  }

  /** A rendered two-person frame. */
  private static SceneRenderer.Frame twoPersons(SkinnedBodyModel body) {
    return SyntheticScene.builder(body).optPersons(2).optSeed(4).optFrames(2).build().next();
  }

  private static List<PersonRecoverer.Box> boxes(SceneRenderer.Frame frame) {
    return frame.persons().stream()
        .map(t -> new PersonRecoverer.Box(t.box()[0], t.box()[1], t.box()[2], t.box()[3]))
        .toList();
  }

  /** An untrained tiny pose model: never sure of anything. */
  private static MegaModel tinyPoseModel() throws Exception {
    return MegaModel.create(
        MegaConfig.tiny(PoseConditioning.TOKENS, PoseConditioning.FEATURES),
        MegaModel.Conditioning.POSE);
  }
}
