package io.megastream.ingest.detect;

import io.megastream.pose.PoseDetector;
import java.util.List;

/** The detectors selectable with {@code --detector}. */
public final class Detectors {

  /** Names accepted by {@link #create}. */
  public static final List<String> NAMES = List.of("blazepose", "full-frame", "hog");

  private Detectors() {}

  /**
   * A new detector instance (one per grab thread).
   *
   * @throws IllegalArgumentException for an unknown name
   * @throws io.megastream.pose.PoseModelException if blazepose's bundled model is missing or
   *     corrupt
   */
  public static PersonDetector create(String name) {
    return switch (name) {
      case "blazepose" -> new BlazePoseDetector(PoseDetector.Options.DEFAULTS);
      case "full-frame" -> new FullFrameDetector();
      case "hog" -> new HogPeopleDetector(640, 0.3);
      default ->
          throw new IllegalArgumentException(
              "unknown detector '" + name + "'; choose one of " + NAMES);
    };
  }
}
