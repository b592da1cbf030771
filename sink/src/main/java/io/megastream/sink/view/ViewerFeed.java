package io.megastream.sink.view;

import io.megastream.proto.DeadLetter;
import io.megastream.proto.DecodedMesh;
import io.megastream.proto.Frame;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.RecoveryMode;
import io.megastream.proto.StochasticSamples;
import io.megastream.proto.Topic;
import io.megastream.proto.Topics;
import io.megastream.proto.deadletter.DeadLetters;
import io.megastream.proto.serde.RecordRejectedException;
import io.megastream.sink.decode.MeshDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The viewer's Kafka side, one thread: reads {@code meshes-decoded} (what the page draws), {@code
 * frames} (the pictures, into a {@link FrameStore}) and the stochastic results with their {@code
 * samples} (kept briefly so the page can ask for the sample meshes), read_committed, without a
 * consumer group (every viewer sees everything). {@code live}: from the end, as results arrive;
 * {@code replay}: from the beginning at capture pace, starting over at the end. Records that do not
 * parse are counted, logged once per topic and sent to {@code dead-letter}; the feed goes on.
 */
public final class ViewerFeed implements AutoCloseable {

  /** The stage name on dead letters. */
  public static final String STAGE = "sink-view";

  private static final Logger LOG = LoggerFactory.getLogger(ViewerFeed.class);
  private static final int KEPT_SAMPLES = 256;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], DeadLetter> deadLetters;
  private final ViewerClients clients;
  private final FrameStore frames;
  private final boolean replay;
  private final Thread thread;
  private final AtomicLong meshes = new AtomicLong();
  private final AtomicLong frameCount = new AtomicLong();
  private final AtomicLong bad = new AtomicLong();
  private final AtomicLong deadLetterFailed = new AtomicLong();
  private final Set<String> loggedBad = ConcurrentHashMap.newKeySet();
  private final Map<String, MeshRecovery> sampledResults = newestOnly();
  private final Map<String, StochasticSamples> sampleSets = newestOnly();
  private final CountDownLatch ready = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile Throwable failure;

  /**
   * @param kafka client properties (bootstrap servers, security)
   * @param replay from the beginning at capture pace, in a loop; otherwise live from the end
   */
  public ViewerFeed(
      Map<String, Object> kafka, ViewerClients clients, FrameStore frames, boolean replay) {
    this.clients = clients;
    this.frames = frames;
    this.replay = replay;
    Properties c = new Properties();
    c.putAll(kafka);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "megastream-viewer");
    consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    Properties p = new Properties();
    p.putAll(kafka);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "megastream-viewer-dead-letters");
    deadLetters =
        new KafkaProducer<>(
            p,
            Topics.DEAD_LETTER.keySerde().serializer(),
            Topics.DEAD_LETTER.valueSerde().serializer());
    thread = new Thread(this::run, "megastream-viewer-feed");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /**
   * Waits until the feed is positioned on its topics (live: at their end, so anything produced
   * afterwards will be shown).
   *
   * @return false if it was not ready within the timeout
   */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Decoded results handed to the clients so far. */
  public long meshes() {
    return meshes.get();
  }

  public long frames() {
    return frameCount.get();
  }

  /** Records that did not parse (each sent to dead-letter). */
  public long badRecords() {
    return bad.get();
  }

  /** Dead letters that could not be written (logged once). */
  public long deadLetterFailures() {
    return deadLetterFailed.get();
  }

  /** What stopped the feed, or null while it runs. */
  public Throwable failure() {
    return failure;
  }

  public boolean replay() {
    return replay;
  }

  /**
   * The samples of a stochastic result still held (the last {@value #KEPT_SAMPLES}) as results
   * whose tokens are each sample's, ready for {@link MeshDecoder}; empty if not held.
   */
  public List<MeshRecovery> samplesOf(String camera, long seq, int person) {
    String key = MeshDecoder.key(camera, seq, person);
    MeshRecovery r;
    StochasticSamples s;
    synchronized (sampleSets) {
      r = sampledResults.get(key);
      s = sampleSets.get(key);
    }
    List<MeshRecovery> out = new ArrayList<>();
    if (r != null && s != null) {
      for (var t : s.getSamplesList()) {
        out.add(r.toBuilder().clearTokens().addAllTokens(t.getTokensList()).build());
      }
    }
    return out;
  }

  private void run() {
    try {
      List<TopicPartition> parts = new ArrayList<>();
      for (Topic<?, ?> t : List.of(Topics.DECODED, Topics.FRAMES, Topics.MESHES, Topics.SAMPLES)) {
        var infos = consumer.partitionsFor(t.name(), Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
          throw new IllegalStateException(
              "topic " + t.name() + " does not exist (megastream topics create makes it)");
        }
        infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).forEach(parts::add);
      }
      consumer.assign(parts);
      if (replay) {
        consumer.seekToBeginning(parts);
      } else {
        consumer.seekToEnd(parts);
      }
      parts.forEach(consumer::position); // resolve the seeks now, so "ready" means positioned
      ready.countDown();
      Pacer pacer = new Pacer();
      Map<TopicPartition, Long> end = replay ? consumer.endOffsets(parts) : Map.of();
      while (running) {
        var records = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<byte[], byte[]> r : records) {
          handle(r, pacer);
        }
        if (replay && records.isEmpty() && atEnd(parts, end)) {
          Thread.sleep(1000); // a pause between loops, then the recording starts over
          end = consumer.endOffsets(parts);
          consumer.seekToBeginning(parts);
          frames.clear();
          pacer = new Pacer();
          clients.publish(new ViewerClients.Event("reset", "{}"));
        }
      }
    } catch (WakeupException e) {
      if (running) {
        failure = e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failure = e;
      LOG.error("viewer feed stopped", e);
    }
  }

  private boolean atEnd(List<TopicPartition> parts, Map<TopicPartition, Long> end) {
    for (TopicPartition tp : parts) {
      if (consumer.position(tp) < end.getOrDefault(tp, 0L)) {
        return false;
      }
    }
    return true;
  }

  private void handle(ConsumerRecord<byte[], byte[]> r, Pacer pacer) throws InterruptedException {
    String topic = r.topic();
    try {
      if (topic.equals(Topics.FRAMES.name())) {
        Frame f = Topics.FRAMES.decodeValue(r.headers(), r.value());
        frames.put(
            f.getCameraId(),
            new FrameStore.Stored(
                f.getSeq(), f.getWidth(), f.getHeight(), f.getImage().toByteArray()));
        frameCount.incrementAndGet();
      } else if (topic.equals(Topics.DECODED.name())) {
        DecodedMesh m = Topics.DECODED.decodeValue(r.headers(), r.value());
        if (replay) {
          pacer.await(m.getFrame().getCaptureTimeUs());
        }
        String camera = m.getFrame().getCameraId();
        clients.publish(ViewerEvents.mesh(m, frames.get(camera, m.getFrame().getSeq())));
        meshes.incrementAndGet();
      } else if (topic.equals(Topics.MESHES.name())) {
        MeshRecovery m = Topics.MESHES.decodeValue(r.headers(), r.value());
        if (m.getMode() == RecoveryMode.RECOVERY_MODE_STOCHASTIC) {
          synchronized (sampleSets) {
            sampledResults.put(MeshDecoder.key(m), m);
          }
        }
      } else if (topic.equals(Topics.SAMPLES.name())) {
        StochasticSamples s = Topics.SAMPLES.decodeValue(r.headers(), r.value());
        synchronized (sampleSets) {
          sampleSets.put(MeshDecoder.key(s), s);
        }
      }
    } catch (RecordRejectedException e) {
      bad.incrementAndGet();
      if (loggedBad.add(topic)) {
        LOG.warn(
            "viewer: a record of {} (partition {}, offset {}) does not parse, sent to {}; further"
                + " ones on this topic are counted only: {}",
            topic,
            r.partition(),
            r.offset(),
            Topics.DEAD_LETTER.name(),
            e.getMessage());
      }
      DeadLetter dl = DeadLetters.of(STAGE, r, e).build();
      deadLetters.send(
          new ProducerRecord<>(Topics.DEAD_LETTER.name(), r.key(), dl),
          (meta, error) -> {
            if (error != null && deadLetterFailed.getAndIncrement() == 0) {
              LOG.error(
                  "viewer: cannot write a dead letter for {} (partition {}, offset {}); further"
                      + " failures are counted only",
                  topic,
                  r.partition(),
                  r.offset(),
                  error);
            }
          });
    }
  }

  /** Sleeps so that results come out at the pace they were captured. */
  private static final class Pacer {
    private long firstCaptureUs = Long.MIN_VALUE;
    private long firstNanos;

    void await(long captureUs) throws InterruptedException {
      if (firstCaptureUs == Long.MIN_VALUE) {
        firstCaptureUs = captureUs;
        firstNanos = System.nanoTime();
        return;
      }
      long dueNanos = firstNanos + (captureUs - firstCaptureUs) * 1000;
      long waitMs = (dueNanos - System.nanoTime()) / 1_000_000;
      if (waitMs > 0) {
        Thread.sleep(Math.min(waitMs, 2000));
      }
    }
  }

  /** Keeps the {@value #KEPT_SAMPLES} most recently added entries (insertion order). */
  private static <V> Map<String, V> newestOnly() {
    return new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > KEPT_SAMPLES;
      }
    };
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close(Duration.ofSeconds(5));
    deadLetters.close(Duration.ofSeconds(5));
  }
}
