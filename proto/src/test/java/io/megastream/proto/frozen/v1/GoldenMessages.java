package io.megastream.proto.frozen.v1;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * One fully populated message of each top-level type, built with the FROZEN schema v1 classes:
 * every field set to a non-default value, including optional, oneof, map, repeated and nested ones.
 * Their bytes are committed as {@code src/test/resources/golden/v1/<MessageName>.bin}; the
 * compatibility test reads them with the current classes.
 *
 * <p>Changing a value here changes what the golden files must contain: regenerate them with {@code
 * mvn -pl proto verify -Dmegastream.golden.regenerate=true} (or {@link #main}) and commit the new
 * files together with the change.
 */
public final class GoldenMessages {

  /** Where the golden files live, relative to the {@code proto/} module directory. */
  public static final Path SOURCE_DIR = Path.of("src", "test", "resources", "golden", "v1");

  /** Classpath folder of the golden files. */
  public static final String RESOURCE_DIR = "/golden/v1/";

  private GoldenMessages() {}

  /** Every golden message by its message name (the golden file's base name), in data-flow order. */
  public static Map<String, Message> all() {
    Map<String, Message> all = new LinkedHashMap<>();
    for (Message m :
        List.of(
            frame(),
            meshRecovery(),
            stochasticSamples(),
            label(),
            mocapFrame(),
            modelVersion(),
            deadLetter())) {
      all.put(m.getDescriptorForType().getName(), m);
    }
    return all;
  }

  /** Writes every golden file into {@code dir}, replacing existing ones. */
  public static void writeAll(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (Map.Entry<String, Message> e : all().entrySet()) {
      Files.write(dir.resolve(e.getKey() + ".bin"), e.getValue().toByteArray());
    }
  }

  /**
   * Regenerates the golden files; run with the {@code proto/} module as working directory, or give
   * the target directory as the only argument.
   */
  public static void main(String[] args) throws IOException {
    Path dir = args.length > 0 ? Path.of(args[0]) : SOURCE_DIR;
    writeAll(dir);
    System.out.println("wrote " + all().keySet() + " to " + dir.toAbsolutePath());
  }

  public static Frame frame() {
    return Frame.newBuilder()
        .setSchemaVersion(1)
        .setCameraId("cam-07")
        .setSeq(4211L)
        .setCaptureTimeUs(1_763_779_200_123_456L)
        .setWidth(640)
        .setHeight(480)
        .setEncoding(ImageEncoding.IMAGE_ENCODING_JPEG)
        .setImage(fakeJpeg())
        .addPersons(person(-3.5f, 40f, 120f, 300f, 0.97f, 17L))
        .addPersons(person(400f, 60f, 110f, 280f, 0.88f, 23L))
        .setSource("rtsp://cam7.local/stream")
        .setStreamTimeUs(140_033_366L)
        .setIngestRunId("run-2026-11-22-a")
        .setSourceWidth(1920)
        .setSourceHeight(1440)
        .setDetector("hog")
        .build();
  }

  public static MeshRecovery meshRecovery() {
    return MeshRecovery.newBuilder()
        .setSchemaVersion(1)
        .setFrame(frameRef())
        .setStatus(RecoveryStatus.RECOVERY_STATUS_OK)
        .setPersonIndex(1)
        .setPersonsInFrame(2)
        .setTrackId(23L)
        .setBox(box(400f, 60f, 110f, 280f))
        .addAllTokens(tokens(0))
        .addAllRotation6D(List.of(0.99f, 0.01f, -0.12f, -0.02f, 0.98f, 0.2f))
        .addAllCamera(List.of(0.91f, 0.02f, -0.11f))
        .setMode(RecoveryMode.RECOVERY_MODE_STOCHASTIC)
        .setConfidence(0.83f)
        .setUncertainty(uncertainty())
        .setModelVersion("mega-pose@3")
        .setTimings(
            Timings.newBuilder()
                .setQueueWaitUs(1_250L)
                .setInferenceUs(84_000L)
                .setEndToEndUs(131_500L)
                .setBatchSize(16))
        .setWorkerId("recover-1/w0")
        .build();
  }

  public static StochasticSamples stochasticSamples() {
    return StochasticSamples.newBuilder()
        .setSchemaVersion(1)
        .setFrame(frameRef())
        .setPersonIndex(1)
        .setTrackId(23L)
        .setNumSamples(3)
        .setNumSteps(8)
        .setTemperature(1.2f)
        .addSamples(TokenSequence.newBuilder().addAllTokens(tokens(0)))
        .addSamples(TokenSequence.newBuilder().addAllTokens(tokens(1)))
        .addSamples(TokenSequence.newBuilder().addAllTokens(tokens(2)))
        .addAllVertexSdMm(List.of(12.5f, 30.25f, 8f, 101.75f))
        .setUncertainty(uncertainty())
        .setModelVersion("mega-pose@3")
        .build();
  }

  public static Label label() {
    return Label.newBuilder()
        .setSchemaVersion(1)
        .setFrame(frameRef())
        .addPersons(
            PersonLabel.newBuilder()
                .setPersonIndex(1)
                .setTrackId(23L)
                .setBox(box(400f, 60f, 110f, 280f))
                .setBody(body())
                .addAllJoints3D(floats(72, 0.01f))
                .addAllJoints2D(floats(48, 2.5f))
                .addAllLandmarks2D(floats(66, 3.25f))
                .addAllTokens(tokens(0))
                .setOcclusion(0.25f))
        .addAllCameraIntrinsics(List.of(1000f, 1000f, 320f, 240f))
        .setSource("synthetic:walker@42")
        .build();
  }

  public static MocapFrame mocapFrame() {
    return MocapFrame.newBuilder()
        .setSchemaVersion(1)
        .setSequenceId("seq-000042")
        .setFrameIndex(12)
        .setFrameCount(240)
        .setFps(30f)
        .setBody(body())
        .addAllTokens(tokens(3))
        .setAction("walk")
        .setSubjectId("subject-3")
        .setSource("synthetic:walker@42")
        .build();
  }

  public static ModelVersion modelVersion() {
    return ModelVersion.newBuilder()
        .setSchemaVersion(1)
        .setModelName("mega-pose")
        .setVersion("3")
        .setCreatedTimeMs(1_763_770_000_000L)
        .setKind("mega")
        .setConfigJson("{\"d\":256,\"blocks\":4,\"heads\":8}")
        .putMetrics("pve_mm", 71.5)
        .putMetrics("mpjpe_mm", 60.25)
        .setInlineArtifact(ByteString.copyFrom(new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0}))
        .setArtifactSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
        .setArtifactSize(8L)
        .setParentVersion("2")
        .setProvenance("mocap@0:0-50000 labels@0:0-12000 seed=7")
        .build();
  }

  public static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setSchemaVersion(1)
        .setReason(DeadLetterReason.DEAD_LETTER_REASON_INVALID_CONTENT)
        .setStage("recover")
        .setDetail("megastream.v1.Frame on topic 'frames' is invalid: camera_id is empty")
        .setErrorClass("io.megastream.proto.serde.RecordRejectedException")
        .setSourceTopic("frames")
        .setSourcePartition(2)
        .setSourceOffset(77_001L)
        .setSourceTimestampMs(1_763_779_200_123L)
        .setSourceKey(utf8("cam-07"))
        .setSourceValue(ByteString.copyFrom(new byte[] {8, 1, 24, (byte) 0xF3, 32}))
        .setSourceValueSize(4_096L)
        .putSourceHeaders("megastream.type", utf8("megastream.v1.Frame"))
        .putSourceHeaders("megastream.schema", utf8("1"))
        .setCameraId("cam-07")
        .setSeq(4211L)
        .setWorkerId("recover-1/w0")
        .setTimeMs(1_763_779_200_456L)
        .build();
  }

  private static FrameRef frameRef() {
    return FrameRef.newBuilder()
        .setCameraId("cam-07")
        .setSeq(4211L)
        .setCaptureTimeUs(1_763_779_200_123_456L)
        .setIngestRunId("run-2026-11-22-a")
        .setPartition(4)
        .setOffset(981_223L)
        .build();
  }

  private static PersonBox person(
      float x, float y, float width, float height, float score, long trackId) {
    return PersonBox.newBuilder()
        .setBox(box(x, y, width, height))
        .setScore(score)
        .setTrackId(trackId)
        .build();
  }

  private static Box box(float x, float y, float width, float height) {
    return Box.newBuilder().setX(x).setY(y).setWidth(width).setHeight(height).build();
  }

  private static Uncertainty uncertainty() {
    return Uncertainty.newBuilder()
        .setSignal(0.42f)
        .setMeanVertexSdMm(18.5f)
        .setMaxVertexSdMm(96.25f)
        .setMeanDistanceToMeanMm(21.75f)
        .build();
  }

  private static BodyParams body() {
    return BodyParams.newBuilder()
        .setBodyModel("megastream-body-v1")
        .addAllPose(floats(72, -0.05f))
        .addAllShape(floats(10, 0.1f))
        .addAllTranslation(List.of(0.1f, -0.2f, 3.5f))
        .build();
  }

  /** 54 codebook indices covering both ends of the codebook: 0 and 511. */
  private static List<Integer> tokens(int variant) {
    return IntStream.range(0, 54)
        .map(i -> i == 0 ? 0 : i == 53 ? 511 : (i * 97 + variant * 31 + 13) % 512)
        .boxed()
        .toList();
  }

  private static List<Float> floats(int count, float step) {
    return IntStream.range(0, count).mapToObj(i -> (i + 1) * step).toList();
  }

  private static ByteString fakeJpeg() {
    byte[] b = new byte[256];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    b[0] = (byte) 0xFF;
    b[1] = (byte) 0xD8;
    b[b.length - 2] = (byte) 0xFF;
    b[b.length - 1] = (byte) 0xD9;
    return ByteString.copyFrom(b);
  }

  private static ByteString utf8(String s) {
    return ByteString.copyFrom(s.getBytes(StandardCharsets.UTF_8));
  }
}
