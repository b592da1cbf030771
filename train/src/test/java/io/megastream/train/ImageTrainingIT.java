package io.megastream.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.broker.testing.SharedKafka;
import io.megastream.mega.body.Joint;
import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.image.ImageBackbone;
import io.megastream.mega.model.MegaModel;
import io.megastream.mega.render.SceneRenderer;
import io.megastream.mega.render.SyntheticScene;
import io.megastream.pose.Images;
import io.megastream.proto.Frame;
import io.megastream.proto.Label;
import io.megastream.proto.Topics;
import io.megastream.train.image.BackboneJobConfig;
import io.megastream.train.image.BackboneTrainingJob;
import io.megastream.train.image.LabelledCrops;
import io.megastream.train.image.SceneFrames;
import io.megastream.train.image.SceneLabels;
import io.megastream.train.mega.MegaJobConfig;
import io.megastream.train.mega.MegaTrainingJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image conditioning's two jobs read rendered frames and their labels back from the real
 * frames/labels topics: the backbone pre-trains on 2D joints, then MEGA trains on its frozen grid.
 */
@ExtendWith(SharedKafka.class)
class ImageTrainingIT {

  private static final Path TOKENIZER = Path.of("..", "models", "tokenizer");

  @Test
  void shouldPretrainTheBackboneThenTrainMegaOnItsGrid(EmbeddedKafkaBroker kafka, @TempDir Path dir)
      throws Exception {
    // Given: 3 synthetic cameras, 4 frames each, on the frames and labels topics
    Map<String, Object> props = Map.of("bootstrap.servers", kafka.bootstrapServers());
    int persons = publish(props, 3, 4);
    assertThat(persons).isGreaterThan(12);

    // Then the crops line up with their labels: joints in the crop, the pelvis near its centre
    var crops =
        new LabelledCrops(props, ProceduralBody.build())
            .read(new LabelledCrops.Options(1, 8, 1.0, 1), Duration.ofMinutes(1));
    assertThat(crops.crops()).hasSize(persons);
    for (LabelledCrops.Crop c : crops.crops()) {
      assertThat(c.bgr()).hasSize(ImageBackbone.INPUT * ImageBackbone.INPUT * 3);
      assertThat(Math.abs(c.joints2d()[0])).isLessThan(0.15f);
      assertThat(Math.abs(c.joints2d()[1])).isLessThan(0.25f);
      // (a joint may stick out of the visible box a little: a box is the silhouette's)
      for (int k = 0; k < Joint.COUNT * 2; k++) {
        assertThat(Math.abs(c.joints2d()[k])).isLessThan(0.65f);
      }
      // a rotation matrix: orthonormal rows
      float[] r = c.rotation();
      assertThat(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]).isCloseTo(1f, within(1e-4f));
      assertThat(r[0] * r[3] + r[1] * r[4] + r[2] * r[5]).isCloseTo(0f, within(1e-4f));
    }

    // When: the backbone pre-trains (held-out camera) and MEGA trains on its frozen features
    BackboneTrainingJob.Result backbone =
        new BackboneTrainingJob(
                new BackboneJobConfig(
                    props,
                    dir.resolve("backbone-work"),
                    dir.resolve("backbone"),
                    4,
                    4,
                    1e-3f,
                    2,
                    3,
                    new LabelledCrops.Options(2, 8, 1.0, 1),
                    0))
            .run();
    MegaTrainingJob.Result mega =
        new MegaTrainingJob(
                new MegaJobConfig(
                    props,
                    MegaJobConfig.Stage.IMAGE,
                    "tiny",
                    TOKENIZER,
                    null,
                    dir.resolve("backbone"),
                    dir.resolve("image-work"),
                    dir.resolve("image-out"),
                    6,
                    4,
                    1e-3f,
                    3,
                    3,
                    1,
                    0.2,
                    1,
                    0,
                    false,
                    0,
                    0,
                    MegaJobConfig.DEFAULT_RENDERED_OCCLUSION))
            .run();

    // Then
    assertThat(backbone.finished()).isTrue();
    assertThat(backbone.heldOut().get("held_out_joint_error")).isBetween(0.0, 1.0);
    assertThat(ImageBackbone.readManifest(dir.resolve("backbone")).steps).isEqualTo(4);
    assertThat(mega.finished()).isTrue();
    assertThat(mega.heldOut().get("deterministic_pve_mm")).isPositive();
    MegaModel.Manifest manifest = MegaModel.readManifest(dir.resolve("image-out"));
    assertThat(manifest.conditioning).isEqualTo(MegaModel.Conditioning.IMAGE);
    assertThat(manifest.config.conditionTokens()).isEqualTo(ImageBackbone.TOKENS);
    assertThat(manifest.provenance).containsKeys("crops", "held_out_cameras", "backbone");
    // the image model carries its backbone
    try (ImageBackbone b = ImageBackbone.load(dir.resolve("image-out").resolve("backbone"))) {
      assertThat(b.parameterCount()).isPositive();
    }
  }

  private static org.assertj.core.data.Offset<Float> within(float v) {
    return org.assertj.core.data.Offset.offset(v);
  }

  /** Renders and publishes frames and labels the way the synthetic camera does; persons seen. */
  private static int publish(Map<String, Object> props, int cameras, int frames) throws Exception {
    Properties p = new Properties();
    p.putAll(props);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    int persons = 0;
    try (KafkaProducer<String, Frame> fp =
            new KafkaProducer<>(
                p, Topics.FRAMES.keySerde().serializer(), Topics.FRAMES.valueSerde().serializer());
        KafkaProducer<String, Label> lp =
            new KafkaProducer<>(
                p,
                Topics.LABELS.keySerde().serializer(),
                Topics.LABELS.valueSerde().serializer())) {
      for (int c = 0; c < cameras; c++) {
        String camera = "image-it-" + c;
        SyntheticScene scene =
            SyntheticScene.builder(ProceduralBody.build())
                .optPersons(2)
                .optSeed(40 + c)
                .optSize(320, 240)
                .optFps(5)
                .optFrames(frames)
                .build();
        Mat image = null;
        for (int f = 0; scene.hasNext(); f++) {
          SceneRenderer.Frame frame = scene.next();
          image = Images.toBgr(frame.pixels(), frame.width(), frame.height(), image);
          Label label = SceneLabels.label(scene, frame, f, camera);
          label =
              label.toBuilder()
                  .setFrame(label.getFrame().toBuilder().setIngestRunId("run-1"))
                  .build();
          for (var pl : label.getPersonsList()) {
            if (Math.min(pl.getBox().getWidth(), pl.getBox().getHeight()) >= 8) {
              persons++;
            }
          }
          Frame msg = SceneFrames.frame(scene, frame, image, camera, f, "run-1", 2);
          fp.send(new ProducerRecord<>(Topics.FRAMES.name(), camera, msg)).get();
          lp.send(new ProducerRecord<>(Topics.LABELS.name(), camera, label)).get();
        }
        image.close();
      }
    }
    return persons;
  }
}
