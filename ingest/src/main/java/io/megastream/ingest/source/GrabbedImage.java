package io.megastream.ingest.source;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A decoded frame. The {@link Mat} wraps the grabber's buffer and is only valid until the next
 * grab: encode or copy it first.
 *
 * @param bgr 8-bit BGR image
 * @param streamTimeUs position in the source stream, microseconds
 */
public record GrabbedImage(Mat bgr, long streamTimeUs) {}
