package io.megastream.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-camera counters of where every grabbed frame went. Every frame read ends in exactly one of
 * sent, dropped (live back-pressure), oversize, failed (not delivered), or still in flight.
 * Thread-safe.
 */
public final class IngestStats {

  /** Counters of one camera. Thread-safe. */
  public static final class Camera {
    final AtomicLong read = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong sentBytes = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong corrupt = new AtomicLong();
    final AtomicLong oversize = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong persons = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();
    final AtomicLong labels = new AtomicLong();
    final AtomicLong labelsFailed = new AtomicLong();

    /** A frame was decoded and handed on. */
    public void recordRead() {
      read.incrementAndGet();
    }

    /** The broker acknowledged a frame. */
    public void recordSent(long bytes, int personCount) {
      sent.incrementAndGet();
      sentBytes.addAndGet(bytes);
      persons.addAndGet(personCount);
    }

    public void recordDropped() {
      dropped.incrementAndGet();
    }

    public void recordCorrupt() {
      corrupt.incrementAndGet();
    }

    /** Returns the new count. */
    public long recordOversize() {
      return oversize.incrementAndGet();
    }

    public void recordFailed() {
      failed.incrementAndGet();
    }

    public void recordReconnect() {
      reconnects.incrementAndGet();
    }

    /** The broker acknowledged a ground-truth label (generated sources only). */
    public void recordLabel() {
      labels.incrementAndGet();
    }

    /** Returns the new count. */
    public long recordLabelFailed() {
      return labelsFailed.incrementAndGet();
    }

    /** Frames decoded from the source (and handed on). */
    public long read() {
      return read.get();
    }

    /** Frames acknowledged by the broker. */
    public long sent() {
      return sent.get();
    }

    public long sentBytes() {
      return sentBytes.get();
    }

    /** Frames dropped (oldest first) because a live source outran the producer. */
    public long dropped() {
      return dropped.get();
    }

    /** Source frames that could not be decoded (skipped, dead-lettered). */
    public long corrupt() {
      return corrupt.get();
    }

    /** Frames larger than the producer or topic limit (rejected, dead-lettered). */
    public long oversize() {
      return oversize.get();
    }

    /** Frames the producer could not deliver. */
    public long failed() {
      return failed.get();
    }

    /** Person boxes in sent frames. */
    public long persons() {
      return persons.get();
    }

    public long reconnects() {
      return reconnects.get();
    }

    /** Ground-truth labels acknowledged on the labels topic (generated sources only). */
    public long labels() {
      return labels.get();
    }

    /** Labels the producer could not deliver. */
    public long labelsFailed() {
      return labelsFailed.get();
    }

    /** Frames read but neither sent, dropped, rejected nor failed yet. */
    public long inFlight() {
      return read.get() - sent.get() - dropped.get() - oversize.get() - failed.get();
    }
  }

  private final Map<String, Camera> cameras = new ConcurrentHashMap<>();

  /** The counters of a camera, created on first use. */
  public Camera camera(String id) {
    return cameras.computeIfAbsent(id, k -> new Camera());
  }

  /** All cameras seen so far. */
  public Map<String, Camera> cameras() {
    return Map.copyOf(cameras);
  }

  /** Sum of a counter over all cameras. */
  public long total(java.util.function.ToLongFunction<Camera> counter) {
    return cameras.values().stream().mapToLong(counter).sum();
  }
}
