package io.megastream.sink.internal;

import java.time.Duration;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the sink's Kafka Streams applications stop: they leave the group and wait a bounded time.
 *
 * <p>Kafka Streams members stay in their group after close by default, so an application stopped
 * and started again (a rolling restart, Ctrl-C and rerun) waits for its old member's session to
 * expire (45 s) before it gets its partitions, and a close issued during that wait blocks on the
 * rebalance for as long. Leaving the group on an intentional stop hands the partitions over at
 * once. The bound stays below the 30 s the command's shutdown hook waits, so the process always
 * finishes its own close; anything left uncommitted is an open transaction that the broker aborts,
 * and the next instance redoes it exactly once.
 */
public final class StreamsShutdown {

  /** The longest an application's close waits for its stream threads. */
  public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(15);

  private static final Logger log = LoggerFactory.getLogger(StreamsShutdown.class);

  private StreamsShutdown() {}

  /**
   * Closes {@code streams}, leaving the group.
   *
   * @return whether every stream thread stopped in time; when not, logged once, and native
   *     resources the threads use (tokenizers) must stay open
   */
  public static boolean close(KafkaStreams streams, String applicationId) {
    boolean stopped =
        streams.close(
            CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
    if (!stopped) {
      log.warn(
          "{}: stream threads still running {} s after close; open transactions are aborted by the"
              + " broker and redone by the next instance",
          applicationId,
          CLOSE_TIMEOUT.toSeconds());
    }
    return stopped;
  }
}
