package io.megastream.mega.motion;

import io.megastream.mega.body.BodyParams;
import io.megastream.mega.body.Joint;
import io.megastream.mega.motion.internal.Bend;
import io.megastream.mega.motion.internal.Draw;
import io.megastream.mega.motion.internal.Euler;
import io.megastream.mega.motion.internal.FallAndGetUp;
import io.megastream.mega.motion.internal.Gait;
import io.megastream.mega.motion.internal.Grounding;
import io.megastream.mega.motion.internal.Jump;
import io.megastream.mega.motion.internal.Kick;
import io.megastream.mega.motion.internal.Performance;
import io.megastream.mega.motion.internal.Pose;
import io.megastream.mega.motion.internal.RandomPoses;
import io.megastream.mega.motion.internal.Squat;
import io.megastream.mega.motion.internal.Sway;
import io.megastream.mega.motion.internal.Throw;
import io.megastream.mega.motion.internal.Turn;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Synthetic motion capture: clips of a subject performing an action, as SMPL parameters per frame.
 * Walking and running come from parametric gait cycles; the other actions from key poses joined by
 * smooth splines; "random" from a prior with coordinated joints. Every pose is within {@link
 * io.megastream.mega.body.JointLimits}, the body stays on the floor except in flight, and a seed
 * determines every clip, bit for bit. Immutable and thread-safe.
 *
 * <pre>{@code
 * MotionGenerator motion = MotionGenerator.builder().setSeed(7).build();
 * MotionClip clip = motion.clip(0);                     // action and 2-6 s drawn from the seed
 * MotionClip walk = motion.clip(1, Action.WALK, 90);    // a 3 s walk at 30 fps
 * }</pre>
 */
public final class MotionGenerator {

  /** Shape coefficients per subject. */
  public static final int SHAPE_COUNT = 10;

  private static final double SHAPE_CLIP = 2.5;
  private static final double MIN_SECONDS = 2;
  private static final double MAX_SECONDS = 6;

  private final long seed;
  private final int fps;
  private final List<Action> actions;
  private final int subjects;

  private MotionGenerator(Builder b) {
    this.seed = b.seed;
    this.fps = b.fps;
    this.actions = List.copyOf(b.actions);
    this.subjects = b.subjects;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int fps() {
    return fps;
  }

  /** The actions {@link #clip(long)} draws from. */
  public List<Action> actions() {
    return actions;
  }

  /**
   * Clip number {@code index}: an action drawn from the filter, 2-6 s long (falls 4-6 s).
   *
   * @throws IllegalArgumentException if the index is negative
   */
  public MotionClip clip(long index) {
    SplittableRandom choice = random(index, 0);
    Action action = actions.get(choice.nextInt(actions.size()));
    double min = action == Action.FALL_AND_GET_UP ? 4 : MIN_SECONDS;
    int frames = (int) Math.round(choice.nextDouble(min, MAX_SECONDS) * fps);
    return clip(index, action, frames);
  }

  /**
   * Clip number {@code index} with a given action and length. The same index gives the same subject
   * and, for the action and length that {@link #clip(long)} draws, the same clip.
   *
   * @throws IllegalArgumentException if the index is negative or there are fewer than 2 frames
   */
  public MotionClip clip(long index, Action action, int frames) {
    if (frames < 2) {
      throw new IllegalArgumentException("a clip needs at least 2 frames, got " + frames);
    }
    int subject =
        subjects == 0 ? (int) (index % Integer.MAX_VALUE) : random(index, 1).nextInt(subjects);
    double[] shape = shape(subject);
    SplittableRandom rng = random(index, 2);
    Performance script = perform(action, rng, frames);
    Sway sway = new Sway(rng);
    double heading = rng.nextDouble(-180, 180);
    Pose[] poses = new Pose[frames];
    for (int f = 0; f < frames; f++) {
      Pose p = script.poses()[f].copy();
      sway.apply(p, (double) f / fps);
      p.heading(p.heading() + heading);
      poses[f] = p.clampToLimits();
    }
    Performance placed = script.withPoses(poses);
    double[][] translation = Grounding.translations(placed, fps);
    List<BodyParams> out = new ArrayList<>(frames);
    for (int f = 0; f < frames; f++) {
      out.add(new BodyParams(axisAngles(poses[f]), shape, translation[f]));
    }
    String id = "s" + seed + "-c" + index + "-" + action.id();
    return new MotionClip(id, action, fps, subject, shape, out);
  }

  /** Clips 0, 1, 2, ... (an infinite stream; limit it). */
  public Stream<MotionClip> clips() {
    return LongStream.iterate(0, i -> i + 1).mapToObj(this::clip);
  }

  /** A subject's shape: coefficients ~ N(0, 1) clipped to +-2.5. */
  public double[] shape(int subject) {
    SplittableRandom rng = random(subject, 3);
    double[] shape = new double[SHAPE_COUNT];
    for (int i = 0; i < SHAPE_COUNT; i++) {
      shape[i] = Math.max(-SHAPE_CLIP, Math.min(SHAPE_CLIP, Draw.gaussian(rng)));
    }
    return shape;
  }

  private Performance perform(Action action, SplittableRandom rng, int frames) {
    return switch (action) {
      case WALK -> Gait.walk(rng, frames, fps);
      case RUN -> Gait.run(rng, frames, fps);
      case JUMP -> Jump.perform(rng, frames, fps);
      case SQUAT -> Squat.perform(rng, frames, fps);
      case KICK -> Kick.perform(rng, frames, fps);
      case THROW -> Throw.perform(rng, frames, fps);
      case TURN -> Turn.perform(rng, frames, fps);
      case BEND -> Bend.perform(rng, frames, fps);
      case FALL_AND_GET_UP -> FallAndGetUp.perform(rng, frames, fps);
      case RANDOM -> RandomPoses.perform(rng, frames, fps);
    };
  }

  private static double[] axisAngles(Pose p) {
    double[] out = new double[Joint.COUNT * 3];
    double[] root = Euler.orientationAxisAngle(p.get(0), p.get(1), p.get(2));
    System.arraycopy(root, 0, out, 0, 3);
    for (int j = 1; j < Joint.COUNT; j++) {
      double[] aa = Euler.axisAngle(p.get(j * 3), p.get(j * 3 + 1), p.get(j * 3 + 2));
      System.arraycopy(aa, 0, out, j * 3, 3);
    }
    return out;
  }

  /** An independent stream per (seed, index, purpose). */
  private SplittableRandom random(long index, int purpose) {
    if (index < 0) {
      throw new IllegalArgumentException("index must not be negative, got " + index);
    }
    return new SplittableRandom(mix(mix(seed) ^ mix(index * 4 + purpose)));
  }

  /** SplitMix64's finalizer: a well-spread 64-bit hash. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Builds a {@link MotionGenerator}: {@code setSeed} is required, the rest optional. */
  public static final class Builder {
    private Long seedOrNull;
    private long seed;
    private int fps = 30;
    private final EnumSet<Action> actions = EnumSet.allOf(Action.class);
    private int subjects;

    private Builder() {}

    /** The seed every clip derives from. Required. */
    public Builder setSeed(long seed) {
      this.seedOrNull = seed;
      return this;
    }

    /** Frames per second, 1-240; default 30. */
    public Builder optFps(int fps) {
      this.fps = fps;
      return this;
    }

    /** The actions {@link MotionGenerator#clip(long)} draws from; default all. */
    public Builder optActions(Collection<Action> actions) {
      this.actions.clear();
      this.actions.addAll(actions);
      return this;
    }

    /**
     * How many distinct subjects (body shapes) clips are drawn from; default 0, a new subject per
     * clip.
     */
    public Builder optSubjects(int subjects) {
      this.subjects = subjects;
      return this;
    }

    /**
     * @throws IllegalStateException if the seed is missing
     * @throws IllegalArgumentException if fps is outside 1-240, no action is allowed or the subject
     *     count is negative
     */
    public MotionGenerator build() {
      if (seedOrNull == null) {
        throw new IllegalStateException("setSeed is required");
      }
      seed = seedOrNull;
      if (fps < 1 || fps > 240) {
        throw new IllegalArgumentException("fps must be 1-240, got " + fps);
      }
      if (actions.isEmpty()) {
        throw new IllegalArgumentException("at least one action is needed");
      }
      if (subjects < 0) {
        throw new IllegalArgumentException("subjects must not be negative, got " + subjects);
      }
      return new MotionGenerator(this);
    }
  }
}
