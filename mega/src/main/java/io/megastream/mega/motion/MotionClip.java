package io.megastream.mega.motion;

import io.megastream.mega.body.BodyParams;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One clip of synthetic motion: a subject (body shape) performing an action, one {@link BodyParams}
 * per frame. The translation is the root's displacement in metres from where it stands in the rest
 * pose, so the floor is the plane of the rest pose's soles (y up). Immutable.
 *
 * @param id unique within a generator's output, e.g. {@code s42-c7-walk}
 * @param action what the subject does
 * @param fps frames per second
 * @param subject the subject's index; clips of one subject share its shape
 * @param shape the subject's shape coefficients (the same in every frame)
 * @param frames the poses, one per frame
 */
public record MotionClip(
    String id, Action action, int fps, int subject, double[] shape, List<BodyParams> frames) {

  /**
   * @throws IllegalArgumentException if fps is not positive or there are no frames
   */
  public MotionClip {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(action, "action");
    if (fps <= 0) {
      throw new IllegalArgumentException("fps must be positive, got " + fps);
    }
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("a clip needs at least one frame");
    }
    shape = shape.clone();
    frames = List.copyOf(frames);
  }

  @Override
  public double[] shape() {
    return shape.clone();
  }

  /** Number of frames. */
  public int frameCount() {
    return frames.size();
  }

  /** One frame's parameters. */
  public BodyParams frame(int index) {
    return frames.get(index);
  }

  /** Length in seconds: frame count over fps. */
  public double durationSeconds() {
    return (double) frames.size() / fps;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MotionClip c
        && id.equals(c.id)
        && action == c.action
        && fps == c.fps
        && subject == c.subject
        && Arrays.equals(shape, c.shape)
        && frames.equals(c.frames);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, action, fps, subject, Arrays.hashCode(shape), frames);
  }

  @Override
  public String toString() {
    return "MotionClip[" + id + ", " + frames.size() + " frames at " + fps + " fps]";
  }
}
