package io.megastream.proto.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Message;
import io.megastream.proto.Box;
import io.megastream.proto.DeadLetterReason;
import io.megastream.proto.Frame;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.RecoveryStatus;
import io.megastream.proto.TestMessages;
import io.megastream.proto.Topic;
import io.megastream.proto.TopicValues;
import io.megastream.proto.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

class ProtoSerdeTest {

  private static final List<TopicValues<?>> TOPICS = TopicValues.ALL;

  private static final TopicValues<Frame> FRAMES = new TopicValues<>(Topics.FRAMES, Frame.class);

  private static final TopicValues<MeshRecovery> MESHES =
      new TopicValues<>(Topics.MESHES, MeshRecovery.class);

  @Test
  void shouldHaveATestCaseForEveryRegistryTopic() {
    // Given
    List<Topic<?, ?>> covered = TOPICS.stream().<Topic<?, ?>>map(TopicValues::topic).toList();

    // When
    List<Topic<?, ?>> registry = Topics.all();

    // Then
    assertThat(covered).containsExactlyElementsOf(registry);
  }

  @ParameterizedTest
  @FieldSource("TOPICS")
  void shouldRoundTripAValidValueWithHeaders(TopicValues<?> topic) {
    // Given
    Message value = TestMessages.validValueOf(topic);
    Headers headers = new RecordHeaders();

    // When
    byte[] bytes = topic.serialize(headers, value);
    Message back = topic.deserialize(headers, bytes);

    // Then
    assertThat(back).isEqualTo(value);
    assertThat(header(headers, MessageHeaders.TYPE))
        .isEqualTo("megastream.v1." + topic.messageName());
  }

  @ParameterizedTest
  @FieldSource("TOPICS")
  void shouldReadRecordsWithoutHeadersWrittenByOtherTools(TopicValues<?> topic) {
    // Given plain protobuf bytes, as any protobuf client writes them
    Message value = TestMessages.validValueOf(topic);
    byte[] bytes = value.toByteArray();

    // When
    Message back = topic.deserialize(null, bytes);

    // Then
    assertThat(back).isEqualTo(value);
  }

  @ParameterizedTest
  @FieldSource("TOPICS")
  void shouldMapTombstonesToNullBothWays(TopicValues<?> topic) {
    // Given
    Headers headers = new RecordHeaders();

    // When
    byte[] serialized = topic.serialize(headers, null);
    Message deserialized = topic.deserialize(headers, null);

    // Then
    assertThat(serialized).isNull();
    assertThat(deserialized).isNull();
    assertThat(headers.toArray()).as("a tombstone carries no type headers").isEmpty();
  }

  @Test
  void shouldRejectTruncatedFramesAsMalformed() {
    // Given a frame cut in the middle of its 4 KiB image: the length prefix promises more bytes
    byte[] whole = TestMessages.frame().toByteArray();
    byte[] truncated = Arrays.copyOf(whole, whole.length / 2);

    // When
    RecordRejectedException e = rejection(() -> FRAMES.deserialize(null, truncated));

    // Then
    assertThat(e.reason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_MALFORMED);
    assertThat(e.getMessage())
        .contains("'frames'", truncated.length + " bytes", "megastream.v1.Frame");
  }

  static Stream<Arguments> garbage() {
    return TOPICS.stream()
        .flatMap(t -> Stream.of(1L, 2L, 3L, 42L).map(seed -> Arguments.of(t, seed)));
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("garbage")
  void shouldRejectRandomBytes(TopicValues<?> topic, long seed) {
    // Given
    Random random = new Random(seed);
    byte[] bytes = new byte[16 + random.nextInt(512)];
    random.nextBytes(bytes);

    // When
    RecordRejectedException e = rejection(() -> topic.deserialize(null, bytes));

    // Then
    assertThat(e.reason()).isNotEqualTo(DeadLetterReason.DEAD_LETTER_REASON_UNSPECIFIED);
  }

  @Test
  void shouldRejectAMeshOnTheFramesTopicAsForeignWhenHeadersNameItsType() {
    // Given a MeshRecovery written by the meshes serializer, headers included
    Headers headers = new RecordHeaders();
    byte[] bytes = MESHES.serialize(headers, TestMessages.mesh());

    // When
    RecordRejectedException e = rejection(() -> FRAMES.deserialize(headers, bytes));

    // Then
    assertThat(e.reason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_FOREIGN_TYPE);
    assertThat(e.getMessage())
        .contains("megastream.v1.MeshRecovery", "expected megastream.v1.Frame", "'frames'");
  }

  @Test
  void shouldRejectAMeshOnTheFramesTopicEvenWithoutHeaders() {
    // Given the same bytes without headers: nothing names the type, parsing and checks must catch
    // it
    byte[] bytes = TestMessages.mesh().toByteArray();

    // When
    RecordRejectedException e = rejection(() -> FRAMES.deserialize(null, bytes));

    // Then
    assertThat(e.reason()).isNotEqualTo(DeadLetterReason.DEAD_LETTER_REASON_UNSPECIFIED);
  }

  @Test
  void shouldRejectAMeshReadAsALabelWithoutHeadersAsForeign() {
    // Given a MeshRecovery's bytes: field 3 is an enum here but a message in Label
    byte[] bytes = TestMessages.mesh().toByteArray();

    // When
    RecordRejectedException e =
        rejection(
            () ->
                io.megastream.proto.Topics.LABELS
                    .valueSerde()
                    .deserializer()
                    .deserialize("labels", bytes));

    // Then
    assertThat(e.reason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_FOREIGN_TYPE);
    assertThat(e.getMessage()).contains("wrong wire type");
  }

  @Test
  void shouldRejectANewerMajorNamedInTheHeaderBeforeParsing() {
    // Given bytes that are not v1 at all, announced as schema 2
    Headers headers = new RecordHeaders();
    headers.add(
        MessageHeaders.SCHEMA_VERSION, "2".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    byte[] bytes = {(byte) 0xFF, (byte) 0xFF, 0x01};

    // When
    RecordRejectedException e = rejection(() -> FRAMES.deserialize(headers, bytes));

    // Then
    assertThat(e.reason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_UNSUPPORTED_VERSION);
  }

  @Test
  void shouldRejectANewerSchemaMajorAndSayToUpgrade() {
    // Given
    byte[] bytes = TestMessages.frame().toBuilder().setSchemaVersion(2).build().toByteArray();

    // When
    RecordRejectedException e = rejection(() -> FRAMES.deserialize(null, bytes));

    // Then
    assertThat(e.reason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_UNSUPPORTED_VERSION);
    assertThat(e.getMessage()).contains("version 2", "upgrade");
  }

  @Test
  void shouldReadSchemaVersionAsUnsigned() {
    // Given uint32 max, which is -1 as a Java int
    byte[] bytes = TestMessages.frame().toBuilder().setSchemaVersion(-1).build().toByteArray();

    // When
    RecordRejectedException e = rejection(() -> FRAMES.deserialize(null, bytes));

    // Then
    assertThat(e.reason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_UNSUPPORTED_VERSION);
    assertThat(e.getMessage()).contains("4294967295");
  }

  @Test
  void shouldRejectAMissingSchemaVersionAsMalformed() {
    // Given
    byte[] bytes = TestMessages.frame().toBuilder().clearSchemaVersion().build().toByteArray();

    // When
    RecordRejectedException e = rejection(() -> FRAMES.deserialize(null, bytes));

    // Then
    assertThat(e.reason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_MALFORMED);
    assertThat(e.getMessage()).contains("no schema_version");
  }

  @Test
  void shouldRejectAFrameWithoutCameraIdAsInvalidContent() {
    // Given
    byte[] bytes = TestMessages.frame().toBuilder().clearCameraId().build().toByteArray();

    // When
    RecordRejectedException e = rejection(() -> FRAMES.deserialize(null, bytes));

    // Then
    assertThat(e.reason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_INVALID_CONTENT);
    assertThat(e.getMessage()).contains("camera_id is empty");
  }

  @Test
  void shouldRejectARecoveredMeshWith53TokensAsInvalidContent() {
    // Given
    MeshRecovery mesh =
        TestMessages.mesh().toBuilder().clearTokens().addAllTokens(TestMessages.tokens(53)).build();

    // When
    RecordRejectedException e = rejection(() -> MESHES.deserialize(null, mesh.toByteArray()));

    // Then
    assertThat(e.reason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_INVALID_CONTENT);
    assertThat(e.getMessage()).contains("54 tokens", "has 53");
  }

  @Test
  void shouldRejectATokenOutsideTheCodebookAsInvalidContent() {
    // Given
    MeshRecovery mesh = TestMessages.mesh().toBuilder().setTokens(10, 512).build();

    // When
    RecordRejectedException e = rejection(() -> MESHES.deserialize(null, mesh.toByteArray()));

    // Then
    assertThat(e.reason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_INVALID_CONTENT);
    assertThat(e.getMessage()).contains("token 512");
  }

  @Test
  void shouldAcceptTheLastCodebookEntry() {
    // Given
    MeshRecovery mesh = TestMessages.mesh().toBuilder().setTokens(10, 511).build();

    // When
    MeshRecovery back = MESHES.deserialize(null, mesh.toByteArray());

    // Then
    assertThat(back.getTokens(10)).isEqualTo(511);
  }

  @Test
  void shouldAcceptAMeshWithoutTokensWhenTheFrameHadNoPersons() {
    // Given
    MeshRecovery mesh =
        TestMessages.mesh().toBuilder()
            .setStatus(RecoveryStatus.RECOVERY_STATUS_NO_PERSONS)
            .clearTokens()
            .build();

    // When
    MeshRecovery back = MESHES.deserialize(null, mesh.toByteArray());

    // Then
    assertThat(back.getStatus()).isEqualTo(RecoveryStatus.RECOVERY_STATUS_NO_PERSONS);
    assertThat(back.getTokensList()).isEmpty();
  }

  @Test
  void shouldWriteTypeAndSchemaHeaders() {
    // Given
    Headers headers = new RecordHeaders();

    // When
    FRAMES.serialize(headers, TestMessages.frame());

    // Then
    assertThat(header(headers, MessageHeaders.TYPE)).isEqualTo("megastream.v1.Frame");
    assertThat(header(headers, MessageHeaders.SCHEMA_VERSION)).isEqualTo("1");
  }

  @Test
  void shouldReplaceStaleTypeHeadersWhenAValueIsForwarded() {
    // Given headers copied from the record a stage consumed
    Headers headers = new RecordHeaders();
    headers.add(MessageHeaders.TYPE, "megastream.v1.Frame".getBytes(StandardCharsets.UTF_8));
    headers.add(MessageHeaders.SCHEMA_VERSION, "1".getBytes(StandardCharsets.UTF_8));

    // When
    MESHES.serialize(headers, TestMessages.mesh());

    // Then
    assertThat(headers.headers(MessageHeaders.TYPE)).hasSize(1);
    assertThat(headers.headers(MessageHeaders.SCHEMA_VERSION)).hasSize(1);
    assertThat(header(headers, MessageHeaders.TYPE)).isEqualTo("megastream.v1.MeshRecovery");
  }

  @Test
  void shouldRefuseToWriteAMessageWithoutSchemaVersion() {
    // Given
    Frame unversioned = TestMessages.frame().toBuilder().clearSchemaVersion().build();

    // When / Then
    assertThatThrownBy(
            () -> Topics.FRAMES.valueSerde().serializer().serialize("frames", unversioned))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema_version must be set");
    assertThatThrownBy(() -> FRAMES.serialize(new RecordHeaders(), unversioned))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema_version must be set");
  }

  @Test
  void shouldRefuseMessagesWithoutSchemaVersionAsFieldOne() {
    // Given a message type that is not a top-level MegaStream record
    Class<Box> notARecord = Box.class;

    // When / Then
    assertThatThrownBy(() -> ProtoSerde.of(notARecord))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema_version");
  }

  @Test
  void shouldNameTheFullProtobufType() {
    // Given
    ProtoSerde<Frame> serde = ProtoSerde.of(Frame.class);

    // When
    String name = serde.typeName();

    // Then
    assertThat(name).isEqualTo("megastream.v1.Frame");
  }

  private static RecordRejectedException rejection(Runnable read) {
    RecordRejectedException e = catchThrowableOfType(RecordRejectedException.class, read::run);
    assertThat(e).as("expected the record to be rejected").isNotNull();
    return e;
  }

  private static String header(Headers headers, String key) {
    Header h = headers.lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
