package io.megastream.mega.motion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.megastream.mega.body.BodyParams;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MotionGeneratorTest {

  private static MotionGenerator generator(long seed) {
    return MotionGenerator.builder().setSeed(seed).build();
  }

  @Test
  void shouldProduceIdenticalClipsForTheSameSeed() {
    // given two generators with one seed
    MotionGenerator a = generator(42);
    MotionGenerator b = generator(42);

    // when each makes the same clips
    List<MotionClip> fromA = a.clips().limit(12).toList();
    List<MotionClip> fromB = b.clips().limit(12).toList();

    // then they are equal, value for value
    assertThat(fromA).isEqualTo(fromB);
  }

  @Test
  void shouldProduceDifferentClipsForDifferentSeeds() {
    MotionGenerator a = generator(1);
    MotionGenerator b = generator(2);

    for (Action action : Action.values()) {
      MotionClip x = a.clip(0, action, 60);
      MotionClip y = b.clip(0, action, 60);
      assertThat(x.frame(30).pose()).as(action.id()).isNotEqualTo(y.frame(30).pose());
      assertThat(x.shape()).isNotEqualTo(y.shape());
    }
  }

  @Test
  void shouldMakeTheSameClipWhenItsActionAndLengthAreRequested() {
    MotionGenerator g = generator(5);
    MotionClip drawn = g.clip(3);

    MotionClip requested = g.clip(3, drawn.action(), drawn.frameCount());

    assertThat(requested).isEqualTo(drawn);
  }

  @ParameterizedTest
  @EnumSource(Action.class)
  void shouldProduceClipsOfTheRequestedLengthForEveryAction(Action action) {
    for (int fps : new int[] {25, 30, 60}) {
      // given a generator at some frame rate
      MotionGenerator g = MotionGenerator.builder().setSeed(9).optFps(fps).build();
      for (int frames : new int[] {2 * fps, 6 * fps, 77}) {
        // when a clip of that many frames is requested
        MotionClip clip = g.clip(1, action, frames);

        // then it has them, at that rate, and says what it shows
        assertThat(clip.frameCount()).isEqualTo(frames);
        assertThat(clip.fps()).isEqualTo(fps);
        assertThat(clip.action()).isEqualTo(action);
        assertThat(clip.id()).endsWith(action.id());
        assertThat(clip.frames())
            .allSatisfy(
                p -> {
                  assertThat(p.pose()).hasSize(72);
                  assertThat(p.translation()).hasSize(3);
                });
      }
    }
  }

  @Test
  void shouldDrawActionsOnlyFromTheFilter() {
    MotionGenerator g =
        MotionGenerator.builder()
            .setSeed(3)
            .optActions(EnumSet.of(Action.KICK, Action.THROW))
            .build();

    Set<Action> drawn = g.clips().limit(40).map(MotionClip::action).collect(Collectors.toSet());

    assertThat(drawn).containsExactlyInAnyOrder(Action.KICK, Action.THROW);
  }

  @Test
  void shouldDrawEveryActionAndDurationsOfTwoToSixSeconds() {
    List<MotionClip> clips = generator(4).clips().limit(120).toList();

    assertThat(clips.stream().map(MotionClip::action).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(Action.values());
    assertThat(clips).allSatisfy(c -> assertThat(c.durationSeconds()).isBetween(2.0, 6.0));
    assertThat(clips.stream().mapToDouble(MotionClip::durationSeconds).max().orElseThrow())
        .isGreaterThan(5.0);
  }

  @Test
  void shouldKeepOneClippedShapePerClip() {
    List<MotionClip> clips = generator(6).clips().limit(40).toList();

    assertThat(clips)
        .allSatisfy(
            c -> {
              assertThat(c.shape()).hasSize(MotionGenerator.SHAPE_COUNT);
              assertThat(Arrays.stream(c.shape()).map(Math::abs).max().orElseThrow())
                  .isLessThanOrEqualTo(2.5);
              assertThat(c.frames()).extracting(BodyParams::shape).containsOnly(c.shape());
            });
    double[] all = clips.stream().flatMapToDouble(c -> Arrays.stream(c.shape())).toArray();
    double mean = Arrays.stream(all).average().orElseThrow();
    double sd =
        Math.sqrt(Arrays.stream(all).map(x -> (x - mean) * (x - mean)).average().orElseThrow());
    assertThat(mean).isBetween(-0.25, 0.25);
    assertThat(sd).isBetween(0.8, 1.2);
  }

  @Test
  void shouldShareAShapeBetweenClipsOfOneSubject() {
    MotionGenerator g = MotionGenerator.builder().setSeed(8).optSubjects(3).build();

    List<MotionClip> clips = g.clips().limit(30).toList();

    assertThat(clips).extracting(MotionClip::subject).containsOnly(0, 1, 2);
    assertThat(clips).allSatisfy(c -> assertThat(c.shape()).isEqualTo(g.shape(c.subject())));
  }

  @Test
  void shouldRejectBadSettings() {
    assertThatThrownBy(() -> MotionGenerator.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("setSeed");
    assertThatThrownBy(() -> MotionGenerator.builder().setSeed(1).optFps(0).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MotionGenerator.builder().setSeed(1).optActions(Set.of()).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> generator(1).clip(0, Action.WALK, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> generator(1).clip(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldNameActionsByTheirIds() {
    assertThat(Action.fromId("fall-and-get-up")).isEqualTo(Action.FALL_AND_GET_UP);
    assertThat(Action.fromId("Random")).isEqualTo(Action.RANDOM);
    assertThatThrownBy(() -> Action.fromId("dance")).isInstanceOf(IllegalArgumentException.class);
  }
}
