package io.megastream.ingest.source;

import io.megastream.ingest.CameraSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.OpenCVFrameConverter;

/**
 * A video file, network stream or V4L2 device read through JavaCV's {@link FFmpegFrameGrabber}. Not
 * thread-safe: one grab thread per source.
 */
public final class VideoSource implements FrameSource {

  private static final AtomicBoolean FFMPEG_QUIET = new AtomicBoolean();

  private final CameraSpec spec;
  private final Duration networkTimeout;
  private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
  private FFmpegFrameGrabber grabber;

  /**
   * @param spec the camera
   * @param networkTimeout how long a network read or connect may stall before it fails
   */
  public VideoSource(CameraSpec spec, Duration networkTimeout) {
    this.spec = spec;
    this.networkTimeout = networkTimeout;
    if (FFMPEG_QUIET.compareAndSet(false, true)) {
      avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }
  }

  @Override
  public void open() throws SourceUnavailableException {
    closeQuietly();
    String address = spec.address();
    if (spec.kind() == CameraSpec.Kind.FILE && !Files.isRegularFile(Path.of(address))) {
      throw new SourceUnavailableException(
          "camera '" + spec.id() + "': no such video file: " + Path.of(address).toAbsolutePath(),
          null);
    }
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(address);
    String micros = Long.toString(networkTimeout.toNanos() / 1000);
    switch (spec.kind()) {
      case DEVICE -> g.setFormat("video4linux2");
      case NETWORK -> {
        g.setOption("rw_timeout", micros); // http, tcp: fail instead of hanging
        g.setOption("timeout", micros); // rtsp: socket timeout
        if (address.startsWith("rtsp")) {
          g.setOption("rtsp_transport", "tcp");
        }
      }
      case FILE -> {}
    }
    try {
      g.start();
    } catch (FrameGrabber.Exception | RuntimeException e) {
      try {
        g.release();
      } catch (FrameGrabber.Exception ignored) {
        // the open failure is what matters
      }
      throw new SourceUnavailableException(
          "camera '" + spec.id() + "': cannot open " + spec.uri() + ": " + e.getMessage(), e);
    }
    grabber = g;
  }

  @Override
  public GrabbedImage grab() throws CorruptFrameException {
    if (grabber == null) {
      throw new IllegalStateException("source " + spec.id() + " is not open");
    }
    Frame frame;
    try {
      frame = grabber.grabImage();
    } catch (FrameGrabber.Exception e) {
      throw new CorruptFrameException(
          "camera '" + spec.id() + "': undecodable frame: " + e.getMessage(), e);
    }
    if (frame == null) {
      return null;
    }
    if (frame.image == null || frame.imageWidth <= 0 || frame.imageHeight <= 0) {
      throw new CorruptFrameException("camera '" + spec.id() + "': frame without image data", null);
    }
    return new GrabbedImage(converter.convert(frame), grabber.getTimestamp());
  }

  @Override
  public double frameRate() {
    double r = grabber == null ? 0 : grabber.getFrameRate();
    return r > 0 && r < 1000 ? r : 25.0;
  }

  @Override
  public int declaredFrames() {
    int n = grabber == null ? -1 : grabber.getLengthInFrames();
    return n > 0 ? n : -1;
  }

  @Override
  public CameraSpec spec() {
    return spec;
  }

  @Override
  public void close() throws IOException {
    if (grabber != null) {
      FFmpegFrameGrabber g = grabber;
      grabber = null;
      try {
        g.stop();
        g.release();
      } catch (FrameGrabber.Exception e) {
        throw new IOException("camera '" + spec.id() + "': closing the grabber failed", e);
      }
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (IOException ignored) {
      // re-opening after a failure: the old grabber is gone either way
    }
  }
}
