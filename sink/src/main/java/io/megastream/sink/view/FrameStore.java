package io.megastream.sink.view;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The most recent frames' JPEGs of each camera, so the page can show the very frame a mesh was
 * recovered from (results arrive after their frame). Bounded: the oldest frames of a camera go
 * first once it holds {@code perCamera} frames, so memory stays at about cameras × perCamera × JPEG
 * size. Thread-safe.
 */
public final class FrameStore {

  /** A stored frame. */
  public record Stored(long seq, int width, int height, byte[] jpeg) {}

  private final int perCamera;
  private final Map<String, Deque<Stored>> byCamera = new HashMap<>();

  public FrameStore(int perCamera) {
    if (perCamera < 1) {
      throw new IllegalArgumentException("perCamera must be >= 1, got " + perCamera);
    }
    this.perCamera = perCamera;
  }

  public synchronized void put(String camera, Stored frame) {
    Deque<Stored> d = byCamera.computeIfAbsent(camera, c -> new ArrayDeque<>());
    d.addLast(frame);
    while (d.size() > perCamera) {
      d.removeFirst();
    }
  }

  /** The frame, or null if it never arrived or has been evicted. */
  public synchronized Stored get(String camera, long seq) {
    Deque<Stored> d = byCamera.get(camera);
    if (d == null) {
      return null;
    }
    for (var it = d.descendingIterator(); it.hasNext(); ) {
      Stored s = it.next();
      if (s.seq() == seq) {
        return s;
      }
    }
    return null;
  }

  /** Frames held per camera. */
  public synchronized Map<String, Integer> sizes() {
    Map<String, Integer> out = new TreeMap<>();
    byCamera.forEach((c, d) -> out.put(c, d.size()));
    return out;
  }

  /** Forgets everything (a replay starting over). */
  public synchronized void clear() {
    byCamera.clear();
  }
}
