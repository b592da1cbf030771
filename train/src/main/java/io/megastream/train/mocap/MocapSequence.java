package io.megastream.train.mocap;

import io.megastream.mega.body.BodyParams;
import java.util.List;

/**
 * One motion sequence read back from the {@code mocap} topic.
 *
 * @param id sequence id (the record key)
 * @param action action label, e.g. "walk"
 * @param subject subject id (shape identity)
 * @param fps frame rate
 * @param frames body parameters per frame, in frame order
 */
public record MocapSequence(
    String id, String action, String subject, float fps, List<BodyParams> frames) {

  public MocapSequence {
    frames = List.copyOf(frames);
  }
}
