package io.megastream.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A long-running command's wait for Ctrl-C. Open it before the resources it outlives, in the same
 * try-with-resources, so it is closed last: on Ctrl-C the JVM's shutdown waits (up to 30 s) until
 * the command has closed everything it opened (Kafka Streams commits, brokers flush), instead of
 * exiting under it.
 */
final class UntilStopped implements AutoCloseable {

  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread hook;

  UntilStopped(String name) {
    hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                closed.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            name + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Blocks until Ctrl-C, or at most {@code seconds} when positive. */
  void await(long seconds) throws InterruptedException {
    if (seconds > 0) {
      stop.await(seconds, TimeUnit.SECONDS);
    } else {
      stop.await();
    }
  }

  @Override
  public void close() {
    closed.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running: it has just been released
    }
  }
}
