package io.megastream.ingest.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class FrameQueueTest {

  private static final Duration NO_WAIT = Duration.ZERO;
  private static final Duration LONG = Duration.ofMinutes(1);

  @Test
  void shouldRejectNonPositiveBounds() {
    assertThatThrownBy(() -> new FrameQueue<String>(0, 100))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FrameQueue<String>(1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldRefuseMoreItemsThanTheCountBound() throws Exception {
    // Given
    FrameQueue<String> queue = new FrameQueue<>(2, 1_000_000);

    // When
    boolean first = queue.put("a", 1, NO_WAIT);
    boolean second = queue.put("b", 1, NO_WAIT);
    boolean third = queue.put("c", 1, NO_WAIT);

    // Then
    assertThat(first).isTrue();
    assertThat(second).isTrue();
    assertThat(third).isFalse();
    assertThat(queue.size()).isEqualTo(2);
    assertThat(queue.poll(10, NO_WAIT)).containsExactly("a", "b");
  }

  @Test
  void shouldRefuseAnItemThatWouldExceedTheByteBound() throws Exception {
    // Given
    FrameQueue<String> queue = new FrameQueue<>(100, 100);
    queue.put("sixty", 60, NO_WAIT);

    // When
    boolean tooBig = queue.put("fifty", 50, NO_WAIT);
    boolean fits = queue.put("forty", 40, NO_WAIT);

    // Then
    assertThat(tooBig).isFalse();
    assertThat(fits).isTrue();
    assertThat(queue.bytes()).isEqualTo(100);
    assertThat(queue.size()).isEqualTo(2);
  }

  @Test
  void shouldAcceptASingleItemLargerThanMaxBytesWhenEmpty() throws Exception {
    // Given
    FrameQueue<String> queue = new FrameQueue<>(10, 100);

    // When
    boolean huge = queue.put("huge", 500, NO_WAIT);
    boolean next = queue.put("small", 1, NO_WAIT);

    // Then
    assertThat(huge).isTrue();
    assertThat(next).as("the queue is over its byte bound until the huge item is taken").isFalse();
    assertThat(queue.bytes()).isEqualTo(500);
    assertThat(queue.poll(10, NO_WAIT)).containsExactly("huge");
    assertThat(queue.bytes()).isZero();
  }

  @Test
  void shouldReturnFalseWhenPutTimesOutOnAFullQueue() throws Exception {
    // Given
    FrameQueue<String> queue = new FrameQueue<>(1, 100);
    queue.put("a", 1, NO_WAIT);
    Duration timeout = Duration.ofMillis(100);

    // When
    long start = System.nanoTime();
    boolean accepted = queue.put("b", 1, timeout);
    long waitedNanos = System.nanoTime() - start;

    // Then
    assertThat(accepted).isFalse();
    assertThat(waitedNanos)
        .as("put waits the whole timeout")
        .isGreaterThanOrEqualTo(timeout.toNanos());
    assertThat(queue.poll(10, NO_WAIT)).containsExactly("a");
  }

  @Test
  void shouldUnblockAWaitingPutWhenAConsumerTakesAnItem() throws Exception {
    // Given
    FrameQueue<String> queue = new FrameQueue<>(1, 100);
    queue.put("a", 1, NO_WAIT);
    AtomicReference<Boolean> accepted = new AtomicReference<>();
    Thread producer = new Thread(() -> accepted.set(putQuietly(queue, "b", LONG)));
    producer.start();
    awaitWaiting(producer);

    // When
    List<String> taken = queue.poll(1, NO_WAIT);
    producer.join(10_000);

    // Then
    assertThat(taken).containsExactly("a");
    assertThat(producer.isAlive()).isFalse();
    assertThat(accepted.get()).isTrue();
    assertThat(queue.poll(10, NO_WAIT)).containsExactly("b");
  }

  @Test
  void shouldEvictOldestFirstAndReportEachEvictedItem() throws Exception {
    // Given: three items of 30 bytes in a queue of at most 3 items and 100 bytes
    FrameQueue<String> queue = new FrameQueue<>(3, 100);
    queue.put("1", 30, NO_WAIT);
    queue.put("2", 30, NO_WAIT);
    queue.put("3", 30, NO_WAIT);
    List<String> dropped = new ArrayList<>();

    // When: a 50-byte item needs two evictions (90 + 50, then 60 + 50, then 30 + 50 fits)
    queue.putDropOldest("4", 50, dropped::add);

    // Then
    assertThat(dropped).containsExactly("1", "2");
    assertThat(queue.bytes()).isEqualTo(80);
    assertThat(queue.poll(10, NO_WAIT)).containsExactly("3", "4");
  }

  @Test
  void shouldEvictOneItemPerPutWhenOnlyTheCountBoundIsHit() {
    // Given
    FrameQueue<Integer> queue = new FrameQueue<>(2, 1_000_000);
    List<Integer> dropped = new ArrayList<>();

    // When
    for (int i = 1; i <= 5; i++) {
      queue.putDropOldest(i, 1, dropped::add);
    }

    // Then
    assertThat(dropped).containsExactly(1, 2, 3);
    assertThat(queue.size()).isEqualTo(2);
  }

  @Test
  void shouldNotEvictAnythingWhenTheItemFits() {
    // Given
    FrameQueue<String> queue = new FrameQueue<>(3, 100);
    List<String> dropped = new ArrayList<>();

    // When
    queue.putDropOldest("a", 10, dropped::add);
    queue.putDropOldest("b", 10, dropped::add);

    // Then
    assertThat(dropped).isEmpty();
    assertThat(queue.size()).isEqualTo(2);
  }

  @Test
  void shouldMakeABlockedPutThrowPromptlyWhenTheConsumerFails() throws Exception {
    // Given: a producer blocked on a full queue with a long timeout
    FrameQueue<String> queue = new FrameQueue<>(1, 100);
    queue.put("a", 1, NO_WAIT);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread producer =
        new Thread(
            () -> {
              try {
                queue.put("b", 1, LONG);
              } catch (Throwable t) {
                thrown.set(t);
              }
            });
    producer.start();
    awaitWaiting(producer);
    IllegalStateException cause = new IllegalStateException("broker unreachable");

    // When
    queue.fail(cause);
    producer.join(10_000);

    // Then: it woke up long before its one-minute timeout, with the failure as cause
    assertThat(producer.isAlive()).isFalse();
    assertThat(thrown.get())
        .isInstanceOf(QueueFailedException.class)
        .hasMessageContaining("broker unreachable")
        .hasCause(cause);
  }

  @Test
  void shouldMakeEveryLaterPutThrowAfterAFailure() {
    // Given
    FrameQueue<String> queue = new FrameQueue<>(10, 100);
    RuntimeException first = new RuntimeException("first");
    queue.fail(first);

    // When
    queue.fail(new RuntimeException("second"));

    // Then: the first failure is the one reported
    assertThatThrownBy(() -> queue.put("a", 1, NO_WAIT))
        .isInstanceOf(QueueFailedException.class)
        .hasCause(first);
    assertThatThrownBy(() -> queue.putDropOldest("a", 1, x -> {}))
        .isInstanceOf(QueueFailedException.class)
        .hasCause(first);
  }

  @Test
  void shouldLetPollDrainTheRestAfterCloseThenReturnEmpty() throws Exception {
    // Given
    FrameQueue<String> queue = new FrameQueue<>(10, 100);
    queue.put("a", 1, NO_WAIT);
    queue.put("b", 1, NO_WAIT);
    queue.put("c", 1, NO_WAIT);

    // When
    queue.close();

    // Then
    assertThat(queue.isDrained()).isFalse();
    assertThat(queue.poll(2, LONG)).containsExactly("a", "b");
    assertThat(queue.isDrained()).isFalse();
    assertThat(queue.poll(2, LONG)).containsExactly("c");
    assertThat(queue.isDrained()).isTrue();
    // a closed, empty queue answers at once instead of waiting out the one-minute timeout
    assertThat(queue.poll(2, LONG)).isEmpty();
    assertThatThrownBy(() -> queue.put("d", 1, NO_WAIT))
        .isInstanceOf(QueueFailedException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void shouldWakeAWaitingConsumerWhenClosed() throws Exception {
    // Given
    FrameQueue<String> queue = new FrameQueue<>(10, 100);
    AtomicReference<List<String>> polled = new AtomicReference<>();
    Thread consumer =
        new Thread(
            () -> {
              try {
                polled.set(queue.poll(10, LONG));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    consumer.start();
    awaitWaiting(consumer);

    // When
    queue.close();
    consumer.join(10_000);

    // Then
    assertThat(consumer.isAlive()).isFalse();
    assertThat(polled.get()).isEmpty();
    assertThat(queue.isDrained()).isTrue();
  }

  @Test
  void shouldDeliverEveryItemExactlyOnceAndInOrderPerProducerWithManyProducers() throws Exception {
    // Given: 4 producers x 1000 items through a small queue, so producers block often
    int producers = 4;
    int perProducer = 1000;
    FrameQueue<Integer> queue = new FrameQueue<>(16, 1_000);
    List<Integer> received = new ArrayList<>();
    AtomicInteger largestSeen = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int base = p * perProducer;
      threads.add(
          new Thread(
              () -> {
                try {
                  go.await();
                  for (int i = 0; i < perProducer; i++) {
                    if (!queue.put(base + i, 1 + (i % 100), Duration.ofSeconds(20))) {
                      throw new AssertionError("put timed out at item " + (base + i));
                    }
                  }
                } catch (Throwable t) {
                  errors.add(t);
                }
              },
              "producer-" + p));
    }
    Thread consumer =
        new Thread(
            () -> {
              try {
                while (!queue.isDrained()) {
                  largestSeen.accumulateAndGet(queue.size(), Math::max);
                  received.addAll(queue.poll(7, Duration.ofMillis(50)));
                }
              } catch (Throwable t) {
                errors.add(t);
              }
            },
            "consumer");
    threads.forEach(Thread::start);
    consumer.start();

    // When
    go.countDown();
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(20));
    }
    queue.close();
    consumer.join(TimeUnit.SECONDS.toMillis(20));

    // Then
    assertThat(threads).noneMatch(Thread::isAlive);
    assertThat(consumer.isAlive()).isFalse();
    assertThat(errors).isEmpty();
    assertThat(received).hasSize(producers * perProducer).doesNotHaveDuplicates();
    assertThat(largestSeen.get()).isLessThanOrEqualTo(16);
    Map<Integer, Integer> lastPerProducer = new HashMap<>();
    for (int item : received) {
      int producer = item / perProducer;
      int previous = lastPerProducer.getOrDefault(producer, -1);
      assertThat(item).as("FIFO per producer").isGreaterThan(previous);
      lastPerProducer.put(producer, item);
    }
    assertThat(queue.bytes()).isZero();
  }

  private static boolean putQuietly(FrameQueue<String> queue, String item, Duration timeout) {
    try {
      return queue.put(item, 1, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Waits (bounded) until a thread parks in the queue's timed wait: synchronisation, not an
   * assertion.
   */
  private static void awaitWaiting(Thread t) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (t.getState() != Thread.State.TIMED_WAITING) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("thread " + t.getName() + " never started waiting");
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}
