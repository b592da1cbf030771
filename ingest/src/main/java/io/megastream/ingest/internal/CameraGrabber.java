package io.megastream.ingest.internal;

import io.megastream.ingest.CameraSpec;
import io.megastream.ingest.IngestConfig;
import io.megastream.ingest.IngestStats;
import io.megastream.ingest.detect.Detectors;
import io.megastream.ingest.detect.PersonDetector;
import io.megastream.ingest.encode.FrameEncoder;
import io.megastream.ingest.queue.FrameQueue;
import io.megastream.ingest.queue.QueueFailedException;
import io.megastream.ingest.source.CorruptFrameException;
import io.megastream.ingest.source.FrameSource;
import io.megastream.ingest.source.GrabbedImage;
import io.megastream.ingest.source.SourceUnavailableException;
import io.megastream.ingest.source.VideoSource;
import io.megastream.ingest.track.PersonTracker;
import io.megastream.proto.Box;
import io.megastream.proto.DeadLetterReason;
import io.megastream.proto.Frame;
import io.megastream.proto.FrameRef;
import io.megastream.proto.ImageEncoding;
import io.megastream.proto.Label;
import io.megastream.proto.PersonBox;
import io.megastream.proto.SchemaVersions;
import io.megastream.proto.deadletter.DeadLetters;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grab thread of one camera: decode, downscale, detect, JPEG-encode, hand off. Files end at
 * their end (or loop); live sources are re-opened with backoff when lost. Runs on its own thread
 * and stops when interrupted, when the queue fails, or at the end of its source.
 */
public final class CameraGrabber implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(CameraGrabber.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /** Protobuf envelope around the JPEG bytes: ids, boxes, timestamps. Generous. */
  private static final int ENVELOPE_BYTES = 16 * 1024;

  /** How the camera ended. */
  public enum End {
    FINISHED,
    STOPPED,
    SOURCE_UNAVAILABLE,
    QUEUE_FAILED
  }

  private final CameraSpec camera;
  private final IngestConfig config;

  /** Largest frame record: the config's limit capped by the topic's and the producer's. */
  private final int maxFrameBytes;

  private final FrameQueue<OutgoingFrame> queue;
  private final IngestStats stats;
  private final IngestStats.Camera counters;
  private final Consumer<io.megastream.proto.DeadLetter> deadLetters;
  private final Consumer<Label> labels;
  private final String runId = UUID.randomUUID().toString();
  private final boolean dropOldest;
  private volatile End end;
  private volatile String endMessage = "";
  private volatile boolean stopRequested;

  private long seq;
  private long anchorWallUs = Long.MIN_VALUE;
  private long anchorStreamUs;
  private long anchorNanos;
  private long loopOffsetUs;
  private long lastStreamUs;
  private boolean corruptLogged;

  public CameraGrabber(
      CameraSpec camera,
      IngestConfig config,
      int maxFrameBytes,
      FrameQueue<OutgoingFrame> queue,
      IngestStats stats,
      Consumer<io.megastream.proto.DeadLetter> deadLetters,
      Consumer<Label> labels) {
    this.camera = camera;
    this.config = config;
    this.maxFrameBytes = maxFrameBytes;
    this.queue = queue;
    this.stats = stats;
    this.counters = stats.camera(camera.id());
    this.deadLetters = deadLetters;
    this.labels = labels;
    this.dropOldest = config.dropsOldest(camera);
  }

  public CameraSpec camera() {
    return camera;
  }

  /** How the camera ended; null while running. */
  public End end() {
    return end;
  }

  public String endMessage() {
    return endMessage;
  }

  /** Asks the thread to stop after the current frame (files: also ends a loop). */
  public void requestStop() {
    stopRequested = true;
  }

  @Override
  public void run() {
    Thread.currentThread().setName("grab-" + camera.id());
    // Ingest.start has loaded this detector once, so a missing model fails there, not here
    try (PersonDetector detector = Detectors.create(config.detector())) {
      grabUntilEnd(detector);
    }
  }

  private void grabUntilEnd(PersonDetector detector) {
    PersonTracker tracker =
        config.track() ? new PersonTracker(PersonTracker.Options.DEFAULTS) : null;
    FrameSource created;
    try {
      created = createSource();
    } catch (SourceUnavailableException e) {
      log.error("{}", e.getMessage());
      finish(End.SOURCE_UNAVAILABLE, e.getMessage());
      return;
    }
    try (FrameSource source = created;
        FrameEncoder encoder = new FrameEncoder(config.maxSide(), config.jpegQuality())) {
      if (!openWithRetries(source, false)) {
        return;
      }
      int consecutiveCorrupt = 0;
      while (!stopRequested && !Thread.currentThread().isInterrupted()) {
        if (config.maxFramesPerCamera() > 0 && seq >= config.maxFramesPerCamera()) {
          break;
        }
        GrabbedImage image;
        try {
          image = source.grab();
          consecutiveCorrupt = 0;
        } catch (CorruptFrameException e) {
          corrupt(e);
          if (++consecutiveCorrupt < config.maxConsecutiveCorrupt()) {
            continue;
          }
          log.warn(
              "camera {}: {} undecodable frames in a row; treating the source as lost",
              camera.id(),
              consecutiveCorrupt);
          image = null;
        }
        if (image == null) {
          if (!camera.kind().isLive() && !config.loop()) {
            break; // end of file
          }
          if (!camera.kind().isLive()) {
            loopOffsetUs += lastStreamUs + Math.round(1_000_000 / source.frameRate());
          } else {
            counters.recordReconnect();
            log.warn("camera {}: stream ended or stalled; reconnecting", camera.id());
          }
          if (!openWithRetries(source, camera.kind().isLive())) {
            return;
          }
          continue;
        }
        publish(image, source.frameRate(), encoder, detector, tracker);
      }
      finish(stopRequested ? End.STOPPED : End.FINISHED, "");
    } catch (QueueFailedException e) {
      finish(End.QUEUE_FAILED, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finish(End.STOPPED, "interrupted");
    } catch (IOException e) {
      log.warn("camera {}: error while closing the source", camera.id(), e);
      if (end == null) {
        finish(End.FINISHED, "");
      }
    }
  }

  private FrameSource createSource() throws SourceUnavailableException {
    if (camera.kind() == CameraSpec.Kind.GENERATED) {
      return config.sourcePlugins().get(camera.scheme()).create(camera);
    }
    return new VideoSource(camera, config.networkTimeout());
  }

  private void publish(
      GrabbedImage image,
      double fps,
      FrameEncoder encoder,
      PersonDetector detector,
      PersonTracker tracker)
      throws InterruptedException {
    long streamUs = image.streamTimeUs();
    lastStreamUs = streamUs;
    long captureUs = captureTime(streamUs + loopOffsetUs);
    if (config.pace() == IngestConfig.Pace.NATIVE && !camera.kind().isLive()) {
      long dueNanos = anchorNanos + (streamUs + loopOffsetUs - anchorStreamUs) * 1000;
      long wait = dueNanos - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.SECONDS.toNanos(2)));
      }
    }
    Mat src = image.bgr();
    Mat scaled = encoder.downscale(src);
    List<PersonBox> persons =
        image.knownPersons() != null
            ? scaleBoxes(image.knownPersons(), (double) scaled.cols() / src.cols())
            : detector.detect(scaled);
    if (tracker != null && image.knownPersons() == null) {
      persons = tracker.update(persons);
    }
    byte[] jpeg = encoder.jpeg(scaled); // copies out of the grabber's buffer before the next grab
    counters.recordRead();
    Frame frame =
        Frame.newBuilder()
            .setSchemaVersion(SchemaVersions.CURRENT)
            .setCameraId(camera.id())
            .setSeq(seq++)
            .setCaptureTimeUs(captureUs)
            .setStreamTimeUs(streamUs + loopOffsetUs)
            .setWidth(scaled.cols())
            .setHeight(scaled.rows())
            .setSourceWidth(src.cols())
            .setSourceHeight(src.rows())
            .setEncoding(ImageEncoding.IMAGE_ENCODING_JPEG)
            .setImage(com.google.protobuf.ByteString.copyFrom(jpeg))
            .addAllPersons(persons)
            .setSource(camera.uri())
            .setIngestRunId(runId)
            .setDetector(image.knownPersons() != null ? FrameSource.KNOWN_PERSONS : detector.name())
            .build();
    int size = frame.getSerializedSize();
    if (size + ENVELOPE_BYTES > maxFrameBytes) {
      long oversize = counters.recordOversize();
      String detail =
          String.format(
              "camera %s frame seq %d is %d bytes (%dx%d JPEG), over the limit of %d bytes:"
                  + " lower --max-side or --jpeg-quality, or raise --max-frame-bytes together"
                  + " with the producer's max.request.size and the frames topic's"
                  + " max.message.bytes",
              camera.id(),
              frame.getSeq(),
              size,
              scaled.cols(),
              scaled.rows(),
              maxFrameBytes - ENVELOPE_BYTES);
      if (oversize == 1) {
        log.error(detail);
      }
      deadLetters.accept(
          DeadLetters.of("ingest", DeadLetterReason.DEAD_LETTER_REASON_OVERSIZE, detail)
              .setCameraId(camera.id())
              .setSeq(frame.getSeq())
              .setSourceValueSize(size)
              .build());
      return;
    }
    OutgoingFrame out = new OutgoingFrame(frame, size);
    try {
      handOff(out, size);
    } catch (QueueFailedException e) {
      counters.recordFailed(); // read, but sending has stopped: account for it
      throw e;
    }
    if (image.label() != null) {
      labels.accept(
          image.label().toBuilder()
              .setFrame(
                  FrameRef.newBuilder()
                      .setCameraId(camera.id())
                      .setSeq(frame.getSeq())
                      .setCaptureTimeUs(captureUs)
                      .setIngestRunId(runId))
              .build());
    }
  }

  /** Boxes from source pixels to the (down-scaled) published image's pixels. */
  private static List<PersonBox> scaleBoxes(List<PersonBox> boxes, double f) {
    if (f == 1.0) {
      return boxes;
    }
    List<PersonBox> out = new java.util.ArrayList<>(boxes.size());
    for (PersonBox p : boxes) {
      Box b = p.getBox();
      out.add(
          p.toBuilder()
              .setBox(
                  Box.newBuilder()
                      .setX((float) (b.getX() * f))
                      .setY((float) (b.getY() * f))
                      .setWidth((float) (b.getWidth() * f))
                      .setHeight((float) (b.getHeight() * f)))
              .build());
    }
    return out;
  }

  private void handOff(OutgoingFrame out, int size) throws InterruptedException {
    if (dropOldest) {
      queue.putDropOldest(out, size, dropped -> stats(dropped).recordDropped());
    } else {
      while (!queue.put(out, size, Duration.ofSeconds(1))) {
        if (stopRequested) {
          // asked to stop while blocked: the frame was read, so count it as sent or dropped
          queue.putDropOldest(out, size, dropped -> stats(dropped).recordDropped());
          return;
        }
      }
    }
  }

  /** Counters of the camera whose frame was evicted: the queue is shared by all cameras. */
  private IngestStats.Camera stats(OutgoingFrame dropped) {
    return stats.camera(dropped.frame().getCameraId());
  }

  private long captureTime(long streamUs) {
    long nowUs = System.currentTimeMillis() * 1000;
    if (anchorWallUs == Long.MIN_VALUE
        || (camera.kind().isLive()
            && Math.abs(anchorWallUs + (streamUs - anchorStreamUs) - nowUs) > 2_000_000)) {
      // Anchor stream time to the wall clock at the first frame; live streams re-anchor when
      // their clock jumps (reconnects, timestamp resets) so capture times stay truthful.
      anchorWallUs = nowUs;
      anchorStreamUs = streamUs;
      anchorNanos = System.nanoTime();
    }
    return anchorWallUs + (streamUs - anchorStreamUs);
  }

  private void corrupt(CorruptFrameException e) {
    counters.recordCorrupt();
    if (!corruptLogged) {
      corruptLogged = true;
      log.warn(
          "camera {}: skipping undecodable frame after seq {} (further ones are counted, not"
              + " logged): {}",
          camera.id(),
          seq - 1,
          e.getMessage());
    }
    deadLetters.accept(
        DeadLetters.of(
                "ingest", DeadLetterReason.DEAD_LETTER_REASON_CORRUPT_SOURCE_FRAME, e.getMessage())
            .setCameraId(camera.id())
            .setSeq(seq)
            .setErrorClass(e.getClass().getName())
            .build());
  }

  private boolean openWithRetries(FrameSource source, boolean reconnecting)
      throws InterruptedException {
    boolean retry = camera.kind().isLive();
    Duration backoff = config.reconnectBackoff();
    int attempt = 0;
    while (true) {
      try {
        source.open();
        if (reconnecting || attempt > 0) {
          log.info(
              "camera {}: connected to {} after {} retries", camera.id(), camera.uri(), attempt);
        }
        return true;
      } catch (SourceUnavailableException e) {
        attempt++;
        boolean giveUp =
            !retry
                || stopRequested
                || (config.reconnectAttempts() >= 0 && attempt > config.reconnectAttempts());
        if (giveUp) {
          log.error("{}", e.getMessage());
          finish(End.SOURCE_UNAVAILABLE, e.getMessage());
          return false;
        }
        log.warn(
            "camera {}: {} (attempt {}, retrying in {} ms)",
            camera.id(),
            e.getMessage(),
            attempt,
            backoff.toMillis());
        TimeUnit.MILLISECONDS.sleep(backoff.toMillis());
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
    }
  }

  private void finish(End how, String message) {
    if (end == null) {
      end = how;
      endMessage = message;
    }
  }
}
