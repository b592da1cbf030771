package io.megastream.ingest.source;

import io.megastream.proto.Label;
import io.megastream.proto.PersonBox;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A decoded frame. The {@link Mat} wraps the source's buffer and is only valid until the next grab:
 * encode or copy it first.
 *
 * @param bgr 8-bit BGR image
 * @param streamTimeUs position in the source stream, microseconds
 * @param knownPersons persons the source knows are there (synthetic sources: ground truth), in the
 *     image's pixels; null when the source does not know and a detector must look
 * @param label ground truth to publish to the {@code labels} topic with this frame, or null; ingest
 *     fills in its frame reference (camera id, seq)
 */
public record GrabbedImage(Mat bgr, long streamTimeUs, List<PersonBox> knownPersons, Label label) {

  /** A frame from a camera: nothing known about it beyond the pixels. */
  public GrabbedImage(Mat bgr, long streamTimeUs) {
    this(bgr, streamTimeUs, null, null);
  }
}
