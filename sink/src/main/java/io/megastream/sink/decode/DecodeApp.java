package io.megastream.sink.decode;

import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.tokenizer.TokenizerLoadException;
import io.megastream.sink.internal.StreamsShutdown;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The decode application: {@link DecodeTopology} on Kafka Streams with exactly-once processing
 * ({@code exactly_once_v2}); each result is decoded with its model's tokenizer ({@link
 * Tokenizers}). {@code num.stream.threads} (default 1) stream threads each load their own
 * tokenizers (they are not thread-safe); Kafka Streams builds a task's processors on the thread
 * that runs it, so a thread only ever uses its own. Thread-safe to start and close.
 */
public final class DecodeApp implements AutoCloseable {

  private final List<Tokenizers> tokenizers = new ArrayList<>();
  private final KafkaStreams streams;
  private final String applicationId;

  /** One tokenizer for every result. */
  public DecodeApp(Map<String, Object> kafka, String applicationId, Path tokenizerDir)
      throws TokenizerLoadException, java.io.IOException {
    this(kafka, applicationId, List.of(tokenizerDir), List.of());
  }

  /**
   * @param kafka client properties (bootstrap servers, security), passed to every client
   * @param tokenizerDirs the tokenizers to load
   * @param modelRoots MEGA model directories (or folders of them) telling each model's tokenizer
   * @throws TokenizerLoadException if a tokenizer is missing or corrupt
   */
  public DecodeApp(
      Map<String, Object> kafka,
      String applicationId,
      List<Path> tokenizerDirs,
      List<Path> modelRoots)
      throws TokenizerLoadException, java.io.IOException {
    Properties p = new Properties();
    p.putAll(kafka);
    int threads =
        Integer.parseInt(
            String.valueOf(p.getOrDefault(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1")));
    BlockingQueue<MeshDecoder> decoders = new ArrayBlockingQueue<>(threads);
    try {
      for (int i = 0; i < threads; i++) {
        Tokenizers t = Tokenizers.load(tokenizerDirs, modelRoots, ProceduralBody.build());
        tokenizers.add(t);
        decoders.add(new MeshDecoder(t));
      }
    } catch (TokenizerLoadException | java.io.IOException | RuntimeException e) {
      tokenizers.forEach(Tokenizers::close);
      throw e;
    }
    // a stream thread takes a loaded decoder; a replacement thread loads its own
    ThreadLocal<MeshDecoder> perThread =
        ThreadLocal.withInitial(
            () -> {
              MeshDecoder d = decoders.poll();
              return d != null ? d : new MeshDecoder(loadMore(tokenizerDirs, modelRoots));
            });
    this.applicationId = applicationId;
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
    p.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
    p.putIfAbsent(
        StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("megastream-decode-").toString());
    p.putIfAbsent(StreamsConfig.producerPrefix("max.request.size"), 8 << 20);
    streams = new KafkaStreams(DecodeTopology.build(perThread::get, Duration.ofSeconds(30)), p);
  }

  private synchronized Tokenizers loadMore(List<Path> tokenizerDirs, List<Path> modelRoots) {
    try {
      Tokenizers t = Tokenizers.load(tokenizerDirs, modelRoots, ProceduralBody.build());
      tokenizers.add(t);
      return t;
    } catch (TokenizerLoadException | java.io.IOException e) {
      throw new IllegalStateException("cannot load the tokenizers again: " + e.getMessage(), e);
    }
  }

  public void start() {
    streams.start();
  }

  /** The Streams state (RUNNING once partitions are assigned). */
  public KafkaStreams.State state() {
    return streams.state();
  }

  @Override
  public void close() {
    // a thread still running decodes with its tokenizer: freeing it would be a use-after-free
    if (StreamsShutdown.close(streams, applicationId)) {
      synchronized (this) {
        tokenizers.forEach(Tokenizers::close);
      }
    }
  }
}
