package io.megastream.ingest.source;

import io.megastream.ingest.CameraSpec;

/**
 * Where a camera's frames come from: a video file or stream ({@link VideoSource}) or a generator
 * plugged in through {@link IngestConfig}'s source plug-ins (e.g. {@code synthetic:}). One grab
 * thread owns a source; implementations need not be thread-safe.
 *
 * @see io.megastream.ingest.IngestConfig.Builder#addSourcePlugin
 */
public interface FrameSource extends AutoCloseable {

  /** A frame's detector field when its source knew the persons (synthetic ground truth). */
  String KNOWN_PERSONS = "source-truth";

  /**
   * Opens (or re-opens) the source.
   *
   * @throws SourceUnavailableException with a message naming the camera and the address
   */
  void open() throws SourceUnavailableException;

  /**
   * The next frame.
   *
   * @return the frame, or null at the end of the stream
   * @throws CorruptFrameException if this frame cannot be decoded but the stream goes on
   */
  GrabbedImage grab() throws CorruptFrameException;

  /** Native frame rate, or 25 when the source does not say. */
  double frameRate();

  /** Frames the source declares, or -1 when unknown (live streams). */
  int declaredFrames();

  CameraSpec spec();

  @Override
  void close() throws java.io.IOException;

  /** Makes the source of a camera whose URI has the plug-in's scheme. */
  @FunctionalInterface
  interface Factory {
    /**
     * @throws SourceUnavailableException if the URI's options are invalid
     */
    FrameSource create(CameraSpec camera) throws SourceUnavailableException;
  }
}
