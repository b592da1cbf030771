package io.megastream.sink.view;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connected browsers and what is on its way to each. Every client has a bounded queue; {@link
 * #publish} never blocks: when a client's queue is full (a slow or stalled browser) its oldest
 * event is dropped and counted, so the feed, and the pipeline behind it, never wait for a viewer.
 * Thread-safe.
 */
public final class ViewerClients {

  /** One server-sent event: its name and its data line (JSON, no newlines). */
  public record Event(String name, String data) {}

  /** One connected browser. */
  public final class Client implements AutoCloseable {
    private final BlockingQueue<Event> queue;
    private final AtomicLong dropped = new AtomicLong();

    private Client(int capacity) {
      queue = new ArrayBlockingQueue<>(capacity);
    }

    /** The next event, or null if none arrived within the timeout. */
    public Event next(long timeout, TimeUnit unit) throws InterruptedException {
      return queue.poll(timeout, unit);
    }

    /** Events dropped for this client because it did not keep up. */
    public long dropped() {
      return dropped.get();
    }

    private void offer(Event e) {
      while (!queue.offer(e)) {
        if (queue.poll() != null) {
          dropped.incrementAndGet();
          droppedTotal.incrementAndGet();
        }
      }
    }

    @Override
    public void close() {
      clients.remove(this);
    }
  }

  private final int capacity;
  private final List<Client> clients = new CopyOnWriteArrayList<>();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong droppedTotal = new AtomicLong();

  /**
   * @param capacity events buffered per client before the oldest are dropped
   */
  public ViewerClients(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** Connects a client; close it when the browser goes away. */
  public Client connect() {
    Client c = new Client(capacity);
    clients.add(c);
    return c;
  }

  /** Hands an event to every connected client, without waiting for any of them. */
  public void publish(Event e) {
    published.incrementAndGet();
    for (Client c : clients) {
      c.offer(e);
    }
  }

  public int connected() {
    return clients.size();
  }

  /** Events published since start. */
  public long published() {
    return published.get();
  }

  /** Events dropped over all clients since start. */
  public long dropped() {
    return droppedTotal.get();
  }
}
