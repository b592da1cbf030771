package io.megastream.recover;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Runs a started {@link RecoverWorker} as a process's main loop: progress lines every few seconds,
 * stop after {@code maxFrames} committed frames (0 = never), and a shutdown hook so that SIGTERM or
 * Ctrl-C closes the worker within its shutdown grace. {@link RecoverWorker#close} is idempotent, so
 * the hook and the main thread may both call it; the second waits for the first and no native
 * object is freed twice or under a running batch.
 */
public final class WorkerRunner {

  private WorkerRunner() {}

  /**
   * Blocks until the worker stops (on its own, after {@code maxFrames}, or on a signal).
   *
   * @return whether it stopped without a failure
   */
  public static boolean run(RecoverWorker worker, String workerId, long maxFrames, PrintStream out)
      throws InterruptedException {
    Thread hook = new Thread(worker::close, "recover-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    while (!worker.awaitStopped(Duration.ofSeconds(5))) {
      RecoverWorker.Stats s = worker.stats();
      out.printf(
          "recover %s: %d frames, %d persons (%d sampled), %d dead letters%n",
          workerId, s.frames(), s.persons(), s.stochastic(), s.deadLetters());
      if (maxFrames > 0 && s.frames() >= maxFrames) {
        break;
      }
    }
    worker.close();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook has run close() (or waits in it)
    }
    return worker.failure() == null;
  }
}
