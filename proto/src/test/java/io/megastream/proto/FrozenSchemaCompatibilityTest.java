package io.megastream.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import io.megastream.proto.frozen.v1.FrozenCommonProto;
import io.megastream.proto.frozen.v1.FrozenDataProto;
import io.megastream.proto.frozen.v1.FrozenFrameProto;
import io.megastream.proto.frozen.v1.FrozenMeshProto;
import io.megastream.proto.frozen.v1.FrozenOpsProto;
import io.megastream.proto.frozen.v1.GoldenMessages;
import io.megastream.proto.serde.MessageHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Records written with schema v1 stay readable forever, and v1 readers keep reading what the
 * current schema writes. The committed golden files were written by the FROZEN v1 classes (see
 * {@link GoldenMessages}); this test reads them with the current classes through the registry
 * serdes and compares every field by name.
 */
class FrozenSchemaCompatibilityTest {

  private static final List<TopicValues<?>> TOPICS = TopicValues.FROZEN_V1;

  private static final List<FileDescriptor> FROZEN_FILES =
      List.of(
          FrozenCommonProto.getDescriptor(),
          FrozenFrameProto.getDescriptor(),
          FrozenMeshProto.getDescriptor(),
          FrozenDataProto.getDescriptor(),
          FrozenOpsProto.getDescriptor());

  private static final List<FileDescriptor> CURRENT_FILES =
      List.of(
          CommonProto.getDescriptor(),
          FrameProto.getDescriptor(),
          MeshProto.getDescriptor(),
          DataProto.getDescriptor(),
          OpsProto.getDescriptor());

  /** A field number v1 does not know: stands for a field added by a later minor version. */
  private static final int FUTURE_FIELD = 1000;

  // --- golden files, written once by the frozen classes ---------------------------------------

  @Test
  void shouldListEveryTopicAddedAfterTheFreeze() {
    // a registry type the frozen schema lacks must be listed deliberately
    List<String> frozenTypes = TOPICS.stream().map(TopicValues::messageName).toList();
    List<String> added =
        TopicValues.ALL.stream()
            .map(TopicValues::messageName)
            .filter(n -> !frozenTypes.contains(n))
            .toList();
    assertThat(added).containsExactlyElementsOf(TopicValues.ADDED_AFTER_FREEZE);
  }

  @Test
  void shouldHaveAGoldenMessageForEveryRegistryTopic() {
    // Given
    Set<String> golden = GoldenMessages.all().keySet();

    // When
    List<String> topicTypes = TOPICS.stream().map(TopicValues::messageName).toList();

    // Then
    assertThat(golden).containsExactlyElementsOf(topicTypes);
  }

  @Test
  void shouldSetEveryFieldOfEveryGoldenMessage() {
    // Given
    Map<String, Message> golden = GoldenMessages.all();

    // When
    List<String> unset = new ArrayList<>();
    golden.forEach((name, m) -> collectUnsetFields(m, name + ".", unset));

    // Then
    assertThat(unset).as("fields the golden messages leave at their default").isEmpty();
  }

  @ParameterizedTest
  @FieldSource("TOPICS")
  void shouldCommitTheGoldenFilesTheGeneratorWrites(TopicValues<?> topic) throws IOException {
    // Given
    Message expected = GoldenMessages.all().get(topic.messageName());

    // When
    Message committed = expected.getParserForType().parseFrom(goldenBytes(topic));

    // Then
    assertThat(committed)
        .as("golden file differs from GoldenMessages: regenerate and commit both")
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @FieldSource("TOPICS")
  void shouldReadEveryGoldenFileWithTheCurrentSchema(TopicValues<?> topic) throws IOException {
    // Given
    byte[] bytes = goldenBytes(topic);

    // When
    Message current = topic.deserialize(headersWrittenByV1(topic), bytes);

    // Then
    Message frozen = GoldenMessages.all().get(topic.messageName());
    assertThat(fieldsByName(current)).isEqualTo(fieldsByName(frozen));
    assertThat(unknownFieldPaths(current, topic.messageName())).isEmpty();
  }

  @Test
  void shouldReadTheGoldenFrame() throws IOException {
    // Given
    byte[] bytes = goldenBytes(Frame.class);

    // When
    Frame f = readWithCurrentSchema(Frame.class, bytes);

    // Then
    assertThat(f.getSchemaVersion()).isEqualTo(1);
    assertThat(f.getCameraId()).isEqualTo("cam-07");
    assertThat(f.getSeq()).isEqualTo(4211L);
    assertThat(f.getCaptureTimeUs()).isEqualTo(1_763_779_200_123_456L);
    assertThat(f.getWidth()).isEqualTo(640);
    assertThat(f.getHeight()).isEqualTo(480);
    assertThat(f.getEncoding()).isEqualTo(ImageEncoding.IMAGE_ENCODING_JPEG);
    assertThat(f.getImage().size()).isEqualTo(256);
    assertThat(f.getImage().byteAt(0)).isEqualTo((byte) 0xFF);
    assertThat(f.getImage().byteAt(1)).isEqualTo((byte) 0xD8);
    assertThat(f.getPersonsCount()).isEqualTo(2);
    assertThat(f.getPersons(0).getBox().getX()).isEqualTo(-3.5f);
    assertThat(f.getPersons(0).getBox().getHeight()).isEqualTo(300f);
    assertThat(f.getPersons(0).hasTrackId()).isTrue();
    assertThat(f.getPersons(0).getTrackId()).isEqualTo(17L);
    assertThat(f.getPersons(1).getScore()).isEqualTo(0.88f);
    assertThat(f.getPersons(1).getTrackId()).isEqualTo(23L);
    assertThat(f.getSource()).isEqualTo("rtsp://cam7.local/stream");
    assertThat(f.getStreamTimeUs()).isEqualTo(140_033_366L);
    assertThat(f.getIngestRunId()).isEqualTo("run-2026-11-22-a");
    assertThat(f.getSourceWidth()).isEqualTo(1920);
    assertThat(f.getSourceHeight()).isEqualTo(1440);
    assertThat(f.getDetector()).isEqualTo("hog");
  }

  @Test
  void shouldReadTheGoldenMeshRecovery() throws IOException {
    // Given
    byte[] bytes = goldenBytes(MeshRecovery.class);

    // When
    MeshRecovery m = readWithCurrentSchema(MeshRecovery.class, bytes);

    // Then
    assertThat(m.getFrame().getCameraId()).isEqualTo("cam-07");
    assertThat(m.getFrame().getSeq()).isEqualTo(4211L);
    assertThat(m.getFrame().getIngestRunId()).isEqualTo("run-2026-11-22-a");
    assertThat(m.getFrame().getPartition()).isEqualTo(4);
    assertThat(m.getFrame().getOffset()).isEqualTo(981_223L);
    assertThat(m.getStatus()).isEqualTo(RecoveryStatus.RECOVERY_STATUS_OK);
    assertThat(m.getPersonIndex()).isEqualTo(1);
    assertThat(m.getPersonsInFrame()).isEqualTo(2);
    assertThat(m.hasTrackId()).isTrue();
    assertThat(m.getTrackId()).isEqualTo(23L);
    assertThat(m.getBox().getWidth()).isEqualTo(110f);
    assertThat(m.getTokensList()).hasSize(54).startsWith(0).endsWith(511);
    assertThat(m.getRotation6DList()).containsExactly(0.99f, 0.01f, -0.12f, -0.02f, 0.98f, 0.2f);
    assertThat(m.getCameraList()).containsExactly(0.91f, 0.02f, -0.11f);
    assertThat(m.getMode()).isEqualTo(RecoveryMode.RECOVERY_MODE_STOCHASTIC);
    assertThat(m.getConfidence()).isEqualTo(0.83f);
    assertThat(m.getUncertainty().getSignal()).isEqualTo(0.42f);
    assertThat(m.getUncertainty().getMaxVertexSdMm()).isEqualTo(96.25f);
    assertThat(m.getModelVersion()).isEqualTo("mega-pose@3");
    assertThat(m.getTimings().getQueueWaitUs()).isEqualTo(1_250L);
    assertThat(m.getTimings().getEndToEndUs()).isEqualTo(131_500L);
    assertThat(m.getTimings().getBatchSize()).isEqualTo(16);
    assertThat(m.getWorkerId()).isEqualTo("recover-1/w0");
  }

  @Test
  void shouldReadTheGoldenStochasticSamples() throws IOException {
    // Given
    byte[] bytes = goldenBytes(StochasticSamples.class);

    // When
    StochasticSamples s = readWithCurrentSchema(StochasticSamples.class, bytes);

    // Then
    assertThat(s.getFrame().getCameraId()).isEqualTo("cam-07");
    assertThat(s.getPersonIndex()).isEqualTo(1);
    assertThat(s.getTrackId()).isEqualTo(23L);
    assertThat(s.getNumSamples()).isEqualTo(3);
    assertThat(s.getNumSteps()).isEqualTo(8);
    assertThat(s.getTemperature()).isEqualTo(1.2f);
    assertThat(s.getSamplesList())
        .hasSize(3)
        .allSatisfy(q -> assertThat(q.getTokensList()).hasSize(54).startsWith(0).endsWith(511));
    assertThat(s.getSamples(0).getTokensList()).isNotEqualTo(s.getSamples(1).getTokensList());
    assertThat(s.getVertexSdMmList()).containsExactly(12.5f, 30.25f, 8f, 101.75f);
    assertThat(s.getUncertainty().getMeanDistanceToMeanMm()).isEqualTo(21.75f);
    assertThat(s.getModelVersion()).isEqualTo("mega-pose@3");
  }

  @Test
  void shouldReadTheGoldenLabel() throws IOException {
    // Given
    byte[] bytes = goldenBytes(Label.class);

    // When
    Label l = readWithCurrentSchema(Label.class, bytes);

    // Then
    assertThat(l.getFrame().getCaptureTimeUs()).isEqualTo(1_763_779_200_123_456L);
    assertThat(l.getPersonsCount()).isEqualTo(1);
    PersonLabel p = l.getPersons(0);
    assertThat(p.getPersonIndex()).isEqualTo(1);
    assertThat(p.hasTrackId()).isTrue();
    assertThat(p.getTrackId()).isEqualTo(23L);
    assertThat(p.getBox().getX()).isEqualTo(400f);
    assertThat(p.getBody().getBodyModel()).isEqualTo("megastream-body-v1");
    assertThat(p.getBody().getPoseList()).hasSize(72).startsWith(-0.05f);
    assertThat(p.getBody().getShapeList()).hasSize(10).startsWith(0.1f);
    assertThat(p.getBody().getTranslationList()).containsExactly(0.1f, -0.2f, 3.5f);
    assertThat(p.getJoints3DList()).hasSize(72);
    assertThat(p.getJoints2DList()).hasSize(48).startsWith(2.5f, 5f);
    assertThat(p.getLandmarks2DList()).hasSize(66);
    assertThat(p.getTokensList()).hasSize(54).endsWith(511);
    assertThat(p.getOcclusion()).isEqualTo(0.25f);
    assertThat(l.getCameraIntrinsicsList()).containsExactly(1000f, 1000f, 320f, 240f);
    assertThat(l.getSource()).isEqualTo("synthetic:walker@42");
  }

  @Test
  void shouldReadTheGoldenMocapFrame() throws IOException {
    // Given
    byte[] bytes = goldenBytes(MocapFrame.class);

    // When
    MocapFrame m = readWithCurrentSchema(MocapFrame.class, bytes);

    // Then
    assertThat(m.getSequenceId()).isEqualTo("seq-000042");
    assertThat(m.getFrameIndex()).isEqualTo(12);
    assertThat(m.getFrameCount()).isEqualTo(240);
    assertThat(m.getFps()).isEqualTo(30f);
    assertThat(m.getBody().getTranslationList()).containsExactly(0.1f, -0.2f, 3.5f);
    assertThat(m.getTokensList()).hasSize(54).startsWith(0).endsWith(511);
    assertThat(m.getAction()).isEqualTo("walk");
    assertThat(m.getSubjectId()).isEqualTo("subject-3");
    assertThat(m.getSource()).isEqualTo("synthetic:walker@42");
  }

  @Test
  void shouldReadTheGoldenModelVersion() throws IOException {
    // Given
    byte[] bytes = goldenBytes(ModelVersion.class);

    // When
    ModelVersion v = readWithCurrentSchema(ModelVersion.class, bytes);

    // Then
    assertThat(v.getModelName()).isEqualTo("mega-pose");
    assertThat(v.getVersion()).isEqualTo("3");
    assertThat(v.getCreatedTimeMs()).isEqualTo(1_763_770_000_000L);
    assertThat(v.getKind()).isEqualTo("mega");
    assertThat(v.getConfigJson()).isEqualTo("{\"d\":256,\"blocks\":4,\"heads\":8}");
    assertThat(v.getMetricsMap())
        .containsOnly(Map.entry("pve_mm", 71.5), Map.entry("mpjpe_mm", 60.25));
    assertThat(v.getArtifactCase()).isEqualTo(ModelVersion.ArtifactCase.INLINE_ARTIFACT);
    assertThat(v.getInlineArtifact().toByteArray()).startsWith('P', 'K', 3, 4).hasSize(8);
    assertThat(v.getArtifactSha256()).startsWith("9f86d081").hasSize(64);
    assertThat(v.getArtifactSize()).isEqualTo(8L);
    assertThat(v.getParentVersion()).isEqualTo("2");
    assertThat(v.getProvenance()).isEqualTo("mocap@0:0-50000 labels@0:0-12000 seed=7");
  }

  @Test
  void shouldReadTheGoldenDeadLetter() throws IOException {
    // Given
    byte[] bytes = goldenBytes(DeadLetter.class);

    // When
    DeadLetter d = readWithCurrentSchema(DeadLetter.class, bytes);

    // Then
    assertThat(d.getReason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_INVALID_CONTENT);
    assertThat(d.getStage()).isEqualTo("recover");
    assertThat(d.getDetail()).contains("camera_id is empty");
    assertThat(d.getErrorClass()).isEqualTo("io.megastream.proto.serde.RecordRejectedException");
    assertThat(d.getSourceTopic()).isEqualTo("frames");
    assertThat(d.getSourcePartition()).isEqualTo(2);
    assertThat(d.getSourceOffset()).isEqualTo(77_001L);
    assertThat(d.getSourceTimestampMs()).isEqualTo(1_763_779_200_123L);
    assertThat(d.getSourceKey().toStringUtf8()).isEqualTo("cam-07");
    assertThat(d.getSourceValue().toByteArray()).containsExactly(8, 1, 24, 0xF3, 32);
    assertThat(d.getSourceValueSize()).isEqualTo(4_096L);
    assertThat(d.getSourceHeadersMap())
        .containsOnly(
            Map.entry("megastream.type", ByteString.copyFromUtf8("megastream.v1.Frame")),
            Map.entry("megastream.schema", ByteString.copyFromUtf8("1")));
    assertThat(d.getCameraId()).isEqualTo("cam-07");
    assertThat(d.getSeq()).isEqualTo(4211L);
    assertThat(d.getWorkerId()).isEqualTo("recover-1/w0");
    assertThat(d.getTimeMs()).isEqualTo(1_763_779_200_456L);
  }

  // --- frozen classes writing and reading now ---------------------------------------------------

  @ParameterizedTest
  @FieldSource("TOPICS")
  void shouldReadWhatFrozenClassesWriteNow(TopicValues<?> topic) {
    // Given
    Message frozen = GoldenMessages.all().get(topic.messageName());
    byte[] bytes = frozen.toByteArray();

    // When
    Message current = topic.deserialize(headersWrittenByV1(topic), bytes);

    // Then
    assertThat(fieldsByName(current)).isEqualTo(fieldsByName(frozen));
    assertThat(unknownFieldPaths(current, topic.messageName())).isEmpty();
  }

  @Test
  void shouldReadTheOtherArtifactChoiceOfAFrozenModelVersion() {
    // Given the oneof's second member, which the golden file cannot carry at the same time
    io.megastream.proto.frozen.v1.ModelVersion frozen =
        GoldenMessages.modelVersion().toBuilder()
            .setArtifactUri("https://models.example/mega-pose/3.zip")
            .build();

    // When
    ModelVersion current =
        Topics.MODELS.valueSerde().deserializer().deserialize("models", frozen.toByteArray());

    // Then
    assertThat(current.getArtifactCase()).isEqualTo(ModelVersion.ArtifactCase.ARTIFACT_URI);
    assertThat(current.getArtifactUri()).isEqualTo("https://models.example/mega-pose/3.zip");
    assertThat(current.getInlineArtifact()).isEmpty();
  }

  @ParameterizedTest
  @FieldSource("TOPICS")
  void shouldLetFrozenReadersReadCurrentRecordsAndKeepUnknownFields(TopicValues<?> topic)
      throws IOException {
    // Given a current record carrying a field v1 does not know (one a later version added)
    Message golden = GoldenMessages.all().get(topic.messageName());
    Message current = topic.deserialize(null, golden.toByteArray());
    UnknownFieldSet future =
        UnknownFieldSet.newBuilder()
            .addField(
                FUTURE_FIELD,
                UnknownFieldSet.Field.newBuilder()
                    .addLengthDelimited(ByteString.copyFromUtf8("added after v1"))
                    .build())
            .build();
    Message newer = current.toBuilder().setUnknownFields(future).build();
    byte[] bytes = topic.serialize(new RecordHeaders(), newer);

    // When a v1 reader parses it and writes it on unchanged
    Message old = golden.getParserForType().parseFrom(bytes);
    byte[] forwarded = old.toByteArray();

    // Then it sees every v1 field, and the newer field survives the trip through it
    assertThat(old.toBuilder().setUnknownFields(UnknownFieldSet.getDefaultInstance()).build())
        .isEqualTo(golden);
    assertThat(old.getUnknownFields()).isEqualTo(future);
    assertThat(topic.deserialize(null, forwarded).getUnknownFields()).isEqualTo(future);
  }

  // --- descriptors ----------------------------------------------------------------------------

  @Test
  void shouldKeepEveryFrozenFieldWithItsNumberAndType() {
    // Given
    Set<String> frozen = signatures(FROZEN_FILES);

    // When
    Set<String> current = signatures(CURRENT_FILES);

    // Then the walk saw the kinds of fields it must check...
    assertThat(frozen)
        .contains(
            "Frame.schema_version = 1 singular UINT32",
            "Frame.persons = 9 repeated MESSAGE PersonBox",
            "PersonBox.track_id = 3 optional INT64",
            "ModelVersion.metrics = 7 map MESSAGE ModelVersion.MetricsEntry",
            "ModelVersion.MetricsEntry.value = 2 singular DOUBLE",
            "ModelVersion.artifact_uri = 9 singular STRING in oneof artifact",
            "MeshRecovery.status = 3 singular ENUM RecoveryStatus",
            "enum DeadLetterReason.DEAD_LETTER_REASON_INVALID_CONTENT = 7");
    // ...and every frozen field and enum value is still there, same number, same type
    assertThat(current).containsAll(frozen);
  }

  @Test
  void shouldKeepEveryFrozenMessageAndEnumType() {
    // Given
    Set<String> frozen = typeNames(FROZEN_FILES);

    // When
    Set<String> current = typeNames(CURRENT_FILES);

    // Then
    assertThat(frozen).hasSize(21).contains("Frame", "ModelVersion.MetricsEntry");
    assertThat(current).containsAll(frozen);
  }

  // --- helpers --------------------------------------------------------------------------------

  private static byte[] goldenBytes(TopicValues<?> topic) throws IOException {
    return goldenBytes(topic.messageName());
  }

  private static byte[] goldenBytes(Class<? extends Message> type) throws IOException {
    return goldenBytes(type.getSimpleName());
  }

  private static byte[] goldenBytes(String messageName) throws IOException {
    String resource = GoldenMessages.RESOURCE_DIR + messageName + ".bin";
    try (InputStream in = FrozenSchemaCompatibilityTest.class.getResourceAsStream(resource)) {
      Objects.requireNonNull(in, () -> resource + " is missing: regenerate the golden files");
      return in.readAllBytes();
    }
  }

  private static <V extends Message> V readWithCurrentSchema(Class<V> type, byte[] bytes) {
    TopicValues<?> topic = TOPICS.stream().filter(t -> t.type() == type).findFirst().orElseThrow();
    return type.cast(topic.deserialize(headersWrittenByV1(topic), bytes));
  }

  /** The headers the v1 serializer wrote: the type name is part of the contract too. */
  private static Headers headersWrittenByV1(TopicValues<?> topic) {
    Headers headers = new RecordHeaders();
    headers.add(
        MessageHeaders.TYPE,
        ("megastream.v1." + topic.messageName()).getBytes(StandardCharsets.UTF_8));
    headers.add(MessageHeaders.SCHEMA_VERSION, "1".getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  /**
   * The set fields of a message as a tree keyed by field name, so messages of the frozen and the
   * current classes compare: nested messages as trees, enums by value name, maps as maps.
   */
  private static Map<String, Object> fieldsByName(Message m) {
    Map<String, Object> tree = new TreeMap<>();
    m.getAllFields().forEach((f, v) -> tree.put(f.getName(), valueOf(f, v)));
    return tree;
  }

  private static Object valueOf(FieldDescriptor f, Object value) {
    if (f.isMapField()) {
      Map<Object, Object> map = new HashMap<>();
      for (Object e : (List<?>) value) {
        Message entry = (Message) e;
        FieldDescriptor k = entry.getDescriptorForType().findFieldByName("key");
        FieldDescriptor v = entry.getDescriptorForType().findFieldByName("value");
        map.put(single(k, entry.getField(k)), single(v, entry.getField(v)));
      }
      return map;
    }
    if (f.isRepeated()) {
      return ((List<?>) value).stream().map(e -> single(f, e)).toList();
    }
    return single(f, value);
  }

  private static Object single(FieldDescriptor f, Object value) {
    return switch (f.getJavaType()) {
      case MESSAGE -> fieldsByName((Message) value);
      case ENUM -> ((EnumValueDescriptor) value).getName();
      default -> value;
    };
  }

  /** Paths of messages (nested ones too) that hold fields their class does not know. */
  private static List<String> unknownFieldPaths(Message m, String path) {
    List<String> paths = new ArrayList<>();
    if (!m.getUnknownFields().asMap().isEmpty()) {
      paths.add(path + " " + m.getUnknownFields().asMap().keySet());
    }
    m.getAllFields()
        .forEach(
            (f, v) -> {
              if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                List<?> values = f.isRepeated() ? (List<?>) v : List.of(v);
                for (int i = 0; i < values.size(); i++) {
                  paths.addAll(
                      unknownFieldPaths(
                          (Message) values.get(i), path + "." + f.getName() + "[" + i + "]"));
                }
              }
            });
    return paths;
  }

  /**
   * Adds the path of every field (nested ones too) left at its default, and of every unset oneof.
   */
  private static void collectUnsetFields(Message m, String path, List<String> unset) {
    Descriptor d = m.getDescriptorForType();
    for (OneofDescriptor o : d.getRealOneofs()) {
      if (!m.hasOneof(o)) {
        unset.add(path + o.getName());
      }
    }
    Map<FieldDescriptor, Object> set = m.getAllFields();
    for (FieldDescriptor f : d.getFields()) {
      if (f.getRealContainingOneof() != null) {
        continue;
      }
      if (!set.containsKey(f)) {
        unset.add(path + f.getName());
      } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isMapField()) {
        List<?> values = f.isRepeated() ? (List<?>) set.get(f) : List.of(set.get(f));
        for (int i = 0; i < values.size(); i++) {
          collectUnsetFields((Message) values.get(i), path + f.getName() + "[" + i + "].", unset);
        }
      }
    }
  }

  /**
   * One line per field and enum value: {@code Message.field = number cardinality TYPE [type] [in
   * oneof name]}, names relative to the file's package so frozen and current lines compare.
   */
  private static Set<String> signatures(List<FileDescriptor> files) {
    Set<String> lines = new TreeSet<>();
    for (FileDescriptor file : files) {
      String pkg = file.getPackage() + ".";
      file.getMessageTypes().forEach(m -> addSignatures(m, pkg, lines));
      file.getEnumTypes().forEach(e -> addSignatures(e, pkg, lines));
    }
    return lines;
  }

  private static void addSignatures(Descriptor m, String pkg, Set<String> lines) {
    String name = relative(m.getFullName(), pkg);
    for (FieldDescriptor f : m.getFields()) {
      StringBuilder line = new StringBuilder(name + "." + f.getName() + " = " + f.getNumber());
      line.append(
          f.isMapField()
              ? " map"
              : f.isRepeated()
                  ? " repeated"
                  : f.toProto().getProto3Optional() ? " optional" : " singular");
      line.append(' ').append(f.getType());
      if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        line.append(' ').append(relative(f.getMessageType().getFullName(), pkg));
      } else if (f.getJavaType() == FieldDescriptor.JavaType.ENUM) {
        line.append(' ').append(relative(f.getEnumType().getFullName(), pkg));
      }
      if (f.getRealContainingOneof() != null) {
        line.append(" in oneof ").append(f.getRealContainingOneof().getName());
      }
      lines.add(line.toString());
    }
    m.getNestedTypes().forEach(n -> addSignatures(n, pkg, lines));
    m.getEnumTypes().forEach(e -> addSignatures(e, pkg, lines));
  }

  private static void addSignatures(EnumDescriptor e, String pkg, Set<String> lines) {
    for (EnumValueDescriptor v : e.getValues()) {
      lines.add(
          "enum " + relative(e.getFullName(), pkg) + "." + v.getName() + " = " + v.getNumber());
    }
  }

  private static Set<String> typeNames(List<FileDescriptor> files) {
    Set<String> names = new TreeSet<>();
    for (FileDescriptor file : files) {
      String pkg = file.getPackage() + ".";
      file.getEnumTypes().forEach(e -> names.add(relative(e.getFullName(), pkg)));
      List<Descriptor> todo = new ArrayList<>(file.getMessageTypes());
      while (!todo.isEmpty()) {
        Descriptor m = todo.remove(todo.size() - 1);
        names.add(relative(m.getFullName(), pkg));
        m.getEnumTypes().forEach(e -> names.add(relative(e.getFullName(), pkg)));
        todo.addAll(m.getNestedTypes());
      }
    }
    return names;
  }

  private static String relative(String fullName, String pkg) {
    return fullName.startsWith(pkg) ? fullName.substring(pkg.length()) : fullName;
  }
}
