package io.megastream.ingest.detect;

import io.megastream.proto.PersonBox;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Finds people in a frame. Implementations are not required to be thread-safe: each grab thread
 * gets its own instance from {@link Detectors#create} and closes it.
 */
public interface PersonDetector extends AutoCloseable {

  /** The name used on the command line and in {@code Frame.detector}. */
  String name();

  /** Person boxes in pixel coordinates of {@code bgr}, best first. */
  List<PersonBox> detect(Mat bgr);

  /** Frees what the detector holds (native models). Idempotent. */
  @Override
  default void close() {}
}
