package io.megastream.ingest;

import io.megastream.ingest.detect.Detectors;
import io.megastream.ingest.detect.PersonDetector;
import io.megastream.ingest.internal.CameraGrabber;
import io.megastream.ingest.internal.FrameSender;
import io.megastream.ingest.internal.OutgoingFrame;
import io.megastream.ingest.queue.FrameQueue;
import io.megastream.pose.PoseModelException;
import io.megastream.proto.DeadLetter;
import io.megastream.proto.Frame;
import io.megastream.proto.Label;
import io.megastream.proto.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads any number of cameras and publishes their frames to the {@code frames} topic: one grab
 * thread per camera, a bounded queue, one sending thread, an idempotent producer. Lifecycle: {@link
 * #start()}, then {@link #awaitCompletion(Duration)} (files end by themselves) or {@link #stop()},
 * then {@link #close()}. {@link #stats()} is safe to read from any thread.
 */
public final class Ingest implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Ingest.class);

  private final IngestConfig config;
  private final IngestStats stats = new IngestStats();
  private final AtomicLong deadLettersFailed = new AtomicLong();
  private final List<CameraGrabber> grabbers = new ArrayList<>();
  private final List<Thread> grabThreads = new ArrayList<>();
  private FrameQueue<OutgoingFrame> queue;
  private Producer<String, Frame> producer;
  private Producer<byte[], DeadLetter> deadLetterProducer;
  private Producer<String, Label> labelProducer;
  private FrameSender sender;
  private Thread senderThread;
  private int maxFrameBytes;
  private long startNanos;

  public Ingest(IngestConfig config) {
    this.config = config;
  }

  /** The producer settings ingest uses, before the user's properties are applied over them. */
  public static Map<String, Object> producerDefaults(int maxFrameBytes) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // Frame-sized records (tens to hundreds of KB): large batches and a short linger measured
    // ~1.6x the throughput of the defaults on this kind of machine.
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 1024 * 1024);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxFrameBytes + 64 * 1024);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(64L << 20, 4L * maxFrameBytes));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "megastream-ingest");
    return p;
  }

  /** Loads the detector once, so a missing or corrupt model stops ingest before any camera. */
  private static void checkDetector(String name) {
    try (PersonDetector d = Detectors.create(name)) {
      log.debug("detector {} loads", d.name());
    } catch (PoseModelException e) {
      throw new DetectorUnavailableException(
          "detector " + name + " cannot load its model: " + e.getMessage(), e);
    }
  }

  /**
   * Checks the {@code frames} topic, opens the producers and starts the threads.
   *
   * @throws DetectorUnavailableException if the detector's model is missing or corrupt
   * @throws IngestException if Kafka cannot be reached or the topic is missing
   */
  public synchronized void start() {
    checkDetector(config.detector());
    maxFrameBytes = Math.min(config.maxFrameBytes(), topicMaxMessageBytes());
    Map<String, Object> props = producerDefaults(maxFrameBytes);
    props.putAll(config.kafka());
    Object userMaxRequest = config.kafka().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    if (userMaxRequest != null) {
      maxFrameBytes = Math.min(maxFrameBytes, Integer.parseInt(userMaxRequest.toString()));
    }
    producer =
        new KafkaProducer<>(
            props, Topics.FRAMES.keySerde().serializer(), Topics.FRAMES.valueSerde().serializer());
    Map<String, Object> dlq = new HashMap<>(props);
    dlq.put(ProducerConfig.CLIENT_ID_CONFIG, "megastream-ingest-dead-letter");
    deadLetterProducer =
        new KafkaProducer<>(
            dlq,
            Topics.DEAD_LETTER.keySerde().serializer(),
            Topics.DEAD_LETTER.valueSerde().serializer());

    if (config.cameras().stream().anyMatch(c -> c.kind() == CameraSpec.Kind.GENERATED)) {
      Map<String, Object> lp = new HashMap<>(props);
      lp.put(ProducerConfig.CLIENT_ID_CONFIG, "megastream-ingest-labels");
      labelProducer =
          new KafkaProducer<>(
              lp, Topics.LABELS.keySerde().serializer(), Topics.LABELS.valueSerde().serializer());
    }
    queue = new FrameQueue<>(config.queueFrames(), config.queueBytes());
    sender = new FrameSender(queue, producer, stats);
    senderThread = new Thread(sender, "ingest-sender");
    senderThread.start();
    for (CameraSpec camera : config.cameras()) {
      stats.camera(camera.id());
      CameraGrabber g =
          new CameraGrabber(
              camera, config, maxFrameBytes, queue, stats, this::deadLetter, this::label);
      grabbers.add(g);
      Thread t = new Thread(g, "grab-" + camera.id());
      grabThreads.add(t);
    }
    startNanos = System.nanoTime();
    grabThreads.forEach(Thread::start);
    log.info(
        "ingesting {} camera(s) to {} (max frame {} bytes, detector {})",
        config.cameras().size(),
        config.kafka().get("bootstrap.servers"),
        maxFrameBytes,
        config.detector());
  }

  /**
   * Waits until every camera has ended (files: at their end) and every frame read has been
   * delivered or accounted for.
   *
   * @return the result, or null if the timeout passed first
   * @throws InterruptedException if interrupted while waiting
   */
  public IngestResult awaitCompletion(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread t : grabThreads) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        return null;
      }
      t.join(left);
      if (t.isAlive()) {
        return null;
      }
    }
    queue.close();
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    senderThread.join(Math.max(1, left));
    if (senderThread.isAlive()) {
      return null;
    }
    producer.flush();
    deadLetterProducer.flush();
    if (labelProducer != null) {
      labelProducer.flush();
    }
    return result();
  }

  /** Asks every camera to stop; {@link #awaitCompletion} then returns promptly. */
  public void stop() {
    grabbers.forEach(CameraGrabber::requestStop);
  }

  /** Counters so far. */
  public IngestStats stats() {
    return stats;
  }

  /** Seconds since {@link #start()}. */
  public double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** The largest frame record accepted in this run (config, topic and producer limits). */
  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  /** Stops the threads (if still running) and closes the producers, waiting for in-flight sends. */
  @Override
  public synchronized void close() {
    stop();
    if (queue != null) {
      queue.close();
    }
    for (Thread t : grabThreads) {
      joinQuietly(t);
    }
    if (senderThread != null) {
      joinQuietly(senderThread);
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(30));
    }
    if (deadLetterProducer != null) {
      deadLetterProducer.close(Duration.ofSeconds(30));
    }
    if (labelProducer != null) {
      labelProducer.close(Duration.ofSeconds(30));
    }
  }

  private IngestResult result() {
    Throwable failure = sender.failure();
    if (failure != null || stats.total(IngestStats.Camera::failed) > 0) {
      return new IngestResult(
          IngestResult.Outcome.DELIVERY_FAILED,
          stats.total(IngestStats.Camera::failed)
              + " frame(s) were not delivered to Kafka: "
              + (failure == null ? "see the log" : failure.getMessage()),
          stats);
    }
    if (stats.total(IngestStats.Camera::labelsFailed) > 0) {
      return new IngestResult(
          IngestResult.Outcome.DELIVERY_FAILED,
          stats.total(IngestStats.Camera::labelsFailed)
              + " label(s) were not delivered to the labels topic",
          stats);
    }
    if (deadLettersFailed.get() > 0) {
      return new IngestResult(
          IngestResult.Outcome.DELIVERY_FAILED,
          deadLettersFailed.get() + " dead-letter record(s) could not be delivered",
          stats);
    }
    List<String> lost = new ArrayList<>();
    boolean stopped = false;
    for (CameraGrabber g : grabbers) {
      if (g.end() == CameraGrabber.End.SOURCE_UNAVAILABLE) {
        lost.add(g.endMessage());
      }
      stopped |= g.end() == CameraGrabber.End.STOPPED;
    }
    if (!lost.isEmpty()) {
      return new IngestResult(
          IngestResult.Outcome.SOURCE_UNAVAILABLE, String.join("; ", lost), stats);
    }
    return new IngestResult(
        stopped ? IngestResult.Outcome.STOPPED : IngestResult.Outcome.COMPLETED,
        stats.total(IngestStats.Camera::sent) + " frame(s) delivered",
        stats);
  }

  private void deadLetter(DeadLetter letter) {
    byte[] key = letter.getCameraId().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    deadLetterProducer.send(
        new ProducerRecord<>(Topics.DEAD_LETTER.name(), key, letter),
        (md, error) -> {
          if (error != null && deadLettersFailed.getAndIncrement() == 0) {
            log.error(
                "camera {}: dead-letter record ({}) not delivered",
                letter.getCameraId(),
                letter.getReason(),
                error);
          }
        });
  }

  /** Ground truth of a generated camera's frame, keyed like the frame (camera id). */
  private void label(Label label) {
    String cameraId = label.getFrame().getCameraId();
    IngestStats.Camera counters = stats.camera(cameraId);
    labelProducer.send(
        new ProducerRecord<>(Topics.LABELS.name(), cameraId, label),
        (md, error) -> {
          if (error == null) {
            counters.recordLabel();
          } else if (counters.recordLabelFailed() == 1) {
            log.error(
                "camera {}: label of frame {} not delivered to {}",
                cameraId,
                label.getFrame().getSeq(),
                Topics.LABELS.name(),
                error);
          }
        });
  }

  private int topicMaxMessageBytes() {
    Map<String, Object> adminProps = new HashMap<>(config.kafka());
    adminProps.putIfAbsent("request.timeout.ms", 15_000);
    adminProps.putIfAbsent("default.api.timeout.ms", 30_000);
    adminProps.keySet().retainAll(org.apache.kafka.clients.admin.AdminClientConfig.configNames());
    try (Admin admin = Admin.create(adminProps)) {
      ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, Topics.FRAMES.name());
      Config c = admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
      return Integer.parseInt(c.get("max.message.bytes").value());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new IngestException(
            "topic '"
                + Topics.FRAMES.name()
                + "' does not exist on "
                + config.kafka().get("bootstrap.servers")
                + ": create it with `megastream topics create`",
            e.getCause());
      }
      if (e.getCause() instanceof org.apache.kafka.common.errors.AuthenticationException) {
        throw new IngestException(
            "Kafka at "
                + config.kafka().get("bootstrap.servers")
                + " refused the login: "
                + e.getCause().getMessage()
                + " (check the credentials in --command-config)",
            e.getCause());
      }
      if (e.getCause() instanceof org.apache.kafka.common.errors.AuthorizationException) {
        throw new IngestException(
            "Kafka at "
                + config.kafka().get("bootstrap.servers")
                + " denies this principal: "
                + e.getCause().getMessage()
                + " (the rights ingest needs: megastream acls --stage ingest)",
            e.getCause());
      }
      throw new IngestException(
          "cannot reach Kafka at "
              + config.kafka().get("bootstrap.servers")
              + ": "
              + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IngestException(
          "Kafka at " + config.kafka().get("bootstrap.servers") + " did not answer within 30 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IngestException("interrupted while checking the frames topic", e);
    }
  }

  private static void joinQuietly(Thread t) {
    try {
      t.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
