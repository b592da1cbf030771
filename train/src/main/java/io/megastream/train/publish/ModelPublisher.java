package io.megastream.train.publish;

import com.google.protobuf.ByteString;
import io.megastream.mega.files.ModelFiles;
import io.megastream.mega.model.MegaModel;
import io.megastream.proto.ModelVersion;
import io.megastream.proto.SchemaVersions;
import io.megastream.proto.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes a trained MEGA model directory as a {@code ModelVersion} on the compacted {@code
 * models} topic (key: the model name), the directory zipped inline with its SHA-256, the manifest's
 * version, configuration and metrics: what recover workers that follow the topic switch to.
 * Thread-safe (stateless).
 */
public final class ModelPublisher {

  private final Map<String, Object> kafka;

  public ModelPublisher(Map<String, Object> kafka) {
    this.kafka = Map.copyOf(kafka);
  }

  /**
   * Publishes and waits for the broker's acknowledgement.
   *
   * @return what was published (without the artifact bytes)
   * @throws IOException if the directory is not a readable MEGA model
   */
  public ModelVersion publish(Path modelDir, String modelName, Duration timeout)
      throws IOException, InterruptedException, ExecutionException, TimeoutException {
    MegaModel.Manifest manifest = MegaModel.readManifest(modelDir);
    byte[] zip = ModelFiles.zip(modelDir);
    ModelVersion.Builder v =
        ModelVersion.newBuilder()
            .setSchemaVersion(SchemaVersions.CURRENT)
            .setModelName(modelName)
            .setVersion(manifest.version)
            .setCreatedTimeMs(System.currentTimeMillis())
            .setKind("mega")
            .setConfigJson(ai.djl.util.JsonUtils.GSON.toJson(manifest.config))
            .setInlineArtifact(ByteString.copyFrom(zip))
            .setArtifactSha256(ModelFiles.sha256(zip))
            .setArtifactSize(zip.length)
            .setProvenance(ai.djl.util.JsonUtils.GSON.toJson(manifest.provenance));
    manifest.metrics.forEach(
        (k, val) -> {
          if (val instanceof Number n) {
            v.putMetrics(k, n.doubleValue());
          }
        });
    if (manifest.provenance.get("pretrained") instanceof String parent) {
      v.setParentVersion(parent);
    }
    ModelVersion version = v.build();
    Properties p = new Properties();
    p.putAll(kafka);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(64 << 20));
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(128L << 20));
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer
          .send(Topics.MODELS.record(modelName, version))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    return version.toBuilder().clearInlineArtifact().build();
  }
}
