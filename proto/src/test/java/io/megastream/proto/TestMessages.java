package io.megastream.proto;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import java.util.List;
import java.util.stream.IntStream;

/** Small valid messages of the current schema, one per registry topic. */
public final class TestMessages {

  /** Size of {@link #frame()}'s image: large enough that cutting the record in half cuts it. */
  public static final int IMAGE_BYTES = 4096;

  private TestMessages() {}

  /** A valid value for the topic's type. */
  public static Message validValueOf(TopicValues<?> topic) {
    return switch (topic.messageName()) {
      case "Frame" -> frame();
      case "MeshRecovery" -> mesh();
      case "StochasticSamples" -> samples();
      case "DecodedMesh" -> decoded();
      case "TrackUpdate" -> track();
      case "Label" -> label();
      case "MocapFrame" -> mocap();
      case "ModelVersion" -> model();
      case "DeadLetter" -> deadLetter();
      default -> throw new IllegalArgumentException("no test message for " + topic);
    };
  }

  public static Frame frame() {
    byte[] image = new byte[IMAGE_BYTES];
    for (int i = 0; i < image.length; i++) {
      image[i] = (byte) (i * 13 + 1);
    }
    return Frame.newBuilder()
        .setSchemaVersion(SchemaVersions.CURRENT)
        .setCameraId("cam-01")
        .setSeq(7)
        .setCaptureTimeUs(1_763_779_200_000_000L)
        .setWidth(640)
        .setHeight(480)
        .setEncoding(ImageEncoding.IMAGE_ENCODING_JPEG)
        .setImage(ByteString.copyFrom(image))
        .addPersons(
            PersonBox.newBuilder()
                .setBox(Box.newBuilder().setX(10).setY(20).setWidth(100).setHeight(250))
                .setScore(0.9f)
                .setTrackId(3))
        .setSource("file:/data/clip.mp4")
        .setIngestRunId("run-1")
        .setDetector("hog")
        .build();
  }

  public static FrameRef frameRef() {
    return FrameRef.newBuilder().setCameraId("cam-01").setSeq(7).setIngestRunId("run-1").build();
  }

  /** A recovered mesh: status OK with 54 tokens, all inside the codebook. */
  public static MeshRecovery mesh() {
    return MeshRecovery.newBuilder()
        .setSchemaVersion(SchemaVersions.CURRENT)
        .setFrame(frameRef())
        .setStatus(RecoveryStatus.RECOVERY_STATUS_OK)
        .setPersonIndex(0)
        .setPersonsInFrame(1)
        .addAllTokens(tokens(54))
        .addAllRotation6D(List.of(1f, 0f, 0f, 0f, 1f, 0f))
        .addAllCamera(List.of(0.9f, 0f, 0f))
        .setMode(RecoveryMode.RECOVERY_MODE_DETERMINISTIC)
        .setConfidence(0.8f)
        .setModelVersion("mega-pose@1")
        .build();
  }

  /** A decoded mesh: two vertices and one joint are enough for the contract. */
  public static DecodedMesh decoded() {
    return DecodedMesh.newBuilder()
        .setSchemaVersion(SchemaVersions.CURRENT)
        .setFrame(frameRef())
        .setStatus(RecoveryStatus.RECOVERY_STATUS_OK)
        .addAllVertices(List.of(0f, 0f, 0f, 0.1f, 0.2f, 0.3f))
        .addAllJoints3D(List.of(0f, 0f, 0f))
        .addAllJoints2D(List.of(320f, 240f))
        .setModelVersion("mega-pose@1")
        .build();
  }

  /** A track update: one smoothed joint is enough for the contract. */
  public static TrackUpdate track() {
    return TrackUpdate.newBuilder()
        .setSchemaVersion(SchemaVersions.CURRENT)
        .setFrame(frameRef())
        .setTrackId(7)
        .setUpdates(3)
        .setAlpha(0.5f)
        .addAllJoints3D(List.of(0f, 0.1f, 0.2f))
        .build();
  }

  public static StochasticSamples samples() {
    return StochasticSamples.newBuilder()
        .setSchemaVersion(SchemaVersions.CURRENT)
        .setFrame(frameRef())
        .setNumSamples(2)
        .setNumSteps(4)
        .setTemperature(1.2f)
        .addSamples(TokenSequence.newBuilder().addAllTokens(tokens(54)))
        .addSamples(TokenSequence.newBuilder().addAllTokens(tokens(54)))
        .addAllVertexSdMm(List.of(10f, 20f))
        .build();
  }

  public static Label label() {
    return Label.newBuilder()
        .setSchemaVersion(SchemaVersions.CURRENT)
        .setFrame(frameRef())
        .addPersons(PersonLabel.newBuilder().addAllTokens(tokens(54)).setOcclusion(0.1f))
        .setSource("synthetic:walker@1")
        .build();
  }

  public static MocapFrame mocap() {
    return MocapFrame.newBuilder()
        .setSchemaVersion(SchemaVersions.CURRENT)
        .setSequenceId("seq-1")
        .setFrameIndex(3)
        .setFrameCount(10)
        .setFps(30)
        .addAllTokens(tokens(54))
        .setAction("walk")
        .build();
  }

  public static ModelVersion model() {
    return ModelVersion.newBuilder()
        .setSchemaVersion(SchemaVersions.CURRENT)
        .setModelName("mega-pose")
        .setVersion("1")
        .setKind("mega")
        .putMetrics("pve_mm", 80.0)
        .setArtifactUri("file:/models/mega-pose/1.zip")
        .build();
  }

  public static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setSchemaVersion(SchemaVersions.CURRENT)
        .setReason(DeadLetterReason.DEAD_LETTER_REASON_MALFORMED)
        .setStage("recover")
        .setDetail("not a Frame")
        .setSourceTopic("frames")
        .setSourceValue(ByteString.copyFromUtf8("garbage"))
        .putSourceHeaders("megastream.type", ByteString.copyFromUtf8("megastream.v1.Frame"))
        .build();
  }

  /** {@code count} tokens 0, 1, ... wrapping inside the 512-entry codebook. */
  public static List<Integer> tokens(int count) {
    return IntStream.range(0, count).map(i -> (i * 37) % 512).boxed().toList();
  }
}
