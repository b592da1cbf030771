package io.megastream.ingest.queue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The bounded hand-off between grab threads and the sending thread, bounded both by item count and
 * by total bytes. A producer either blocks while it is full ({@link #put}) or evicts the oldest
 * items ({@link #putDropOldest}); a failure of the consumer side ({@link #fail}) is carried back to
 * every producer, as in Debezium's {@code ChangeEventQueue}. Thread-safe.
 *
 * @param <T> item type
 */
public final class FrameQueue<T> {

  /** An item with its size in bytes. */
  public record Sized<T>(T item, long bytes) {}

  private final int maxItems;
  private final long maxBytes;
  private final ArrayDeque<Sized<T>> items = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notFull = lock.newCondition();
  private final Condition notEmpty = lock.newCondition();
  private long bytes;
  private boolean closed;
  private Throwable failure;

  /**
   * @param maxItems most items held at once, at least 1
   * @param maxBytes most bytes held at once; a single larger item is still accepted when the queue
   *     is empty, so an item never blocks forever
   */
  public FrameQueue(int maxItems, long maxBytes) {
    if (maxItems < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("queue bounds must be positive");
    }
    this.maxItems = maxItems;
    this.maxBytes = maxBytes;
  }

  /**
   * Adds an item, waiting while the queue is full.
   *
   * @return false if the wait timed out
   * @throws QueueFailedException if the consumer side failed or the queue was closed
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean put(T item, long itemBytes, Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lockInterruptibly();
    try {
      while (true) {
        checkOpen();
        if (fits(itemBytes)) {
          add(item, itemBytes);
          return true;
        }
        if (nanos <= 0) {
          return false;
        }
        nanos = notFull.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds an item without waiting, evicting the oldest items until it fits.
   *
   * @param onDropped called (under the queue's lock, keep it short) for each evicted item
   * @throws QueueFailedException if the consumer side failed or the queue was closed
   */
  public void putDropOldest(T item, long itemBytes, Consumer<T> onDropped) {
    lock.lock();
    try {
      checkOpen();
      while (!fits(itemBytes)) {
        Sized<T> old = items.pollFirst();
        bytes -= old.bytes();
        onDropped.accept(old.item());
      }
      add(item, itemBytes);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes up to {@code max} items, waiting up to {@code timeout} for the first.
   *
   * @return the items, empty on timeout or when closed and drained
   * @throws InterruptedException if interrupted while waiting
   */
  public List<T> poll(int max, Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lockInterruptibly();
    try {
      while (items.isEmpty()) {
        if (closed || nanos <= 0) {
          return List.of();
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      List<T> out = new ArrayList<>(Math.min(max, items.size()));
      while (out.size() < max && !items.isEmpty()) {
        Sized<T> s = items.pollFirst();
        bytes -= s.bytes();
        out.add(s.item());
      }
      notFull.signalAll();
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** No more items will be added; consumers drain what is left. */
  public void close() {
    lock.lock();
    try {
      closed = true;
      notEmpty.signalAll();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The consumer side failed: every current and later {@code put} throws with this cause. */
  public void fail(Throwable cause) {
    lock.lock();
    try {
      if (failure == null) {
        failure = cause;
      }
      notFull.signalAll();
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** True when closed and empty: a consumer can stop. */
  public boolean isDrained() {
    lock.lock();
    try {
      return closed && items.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  public int size() {
    lock.lock();
    try {
      return items.size();
    } finally {
      lock.unlock();
    }
  }

  public long bytes() {
    lock.lock();
    try {
      return bytes;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the queue is empty or the timeout passes; returns whether it is empty. */
  public boolean awaitEmpty(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (size() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
    return true;
  }

  private boolean fits(long itemBytes) {
    return items.isEmpty() || (items.size() < maxItems && bytes + itemBytes <= maxBytes);
  }

  private void add(T item, long itemBytes) {
    items.addLast(new Sized<>(item, itemBytes));
    bytes += itemBytes;
    notEmpty.signal();
  }

  private void checkOpen() {
    if (failure != null) {
      throw new QueueFailedException("frame sending failed: " + failure.getMessage(), failure);
    }
    if (closed) {
      throw new QueueFailedException("frame queue is closed", null);
    }
  }
}
