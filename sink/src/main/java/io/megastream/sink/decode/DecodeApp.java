package io.megastream.sink.decode;

import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.tokenizer.TokenizerLoadException;
import io.megastream.mega.tokenizer.TokenizerModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The decode application: {@link DecodeTopology} on Kafka Streams with exactly-once processing
 * ({@code exactly_once_v2}), one stream thread (the tokenizer is not thread-safe), the tokenizer
 * loaded once. Thread-safe to start and close.
 */
public final class DecodeApp implements AutoCloseable {

  private final TokenizerModel tokenizer;
  private final KafkaStreams streams;

  /**
   * @param kafka client properties (bootstrap servers, security), passed to every client
   * @throws TokenizerLoadException if the tokenizer is missing or corrupt
   */
  public DecodeApp(Map<String, Object> kafka, String applicationId, Path tokenizerDir)
      throws TokenizerLoadException, java.io.IOException {
    tokenizer = TokenizerModel.load(tokenizerDir, ProceduralBody.build());
    MeshDecoder decoder = new MeshDecoder(tokenizer);
    Properties p = new Properties();
    p.putAll(kafka);
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    p.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
    p.putIfAbsent(
        StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("megastream-decode-").toString());
    p.putIfAbsent(StreamsConfig.producerPrefix("max.request.size"), 8 << 20);
    streams = new KafkaStreams(DecodeTopology.build(() -> decoder, Duration.ofSeconds(30)), p);
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
    streams.close(Duration.ofSeconds(30));
    tokenizer.close();
  }
}
