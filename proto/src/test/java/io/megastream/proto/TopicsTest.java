package io.megastream.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.megastream.proto.serde.RecordRejectedException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TopicsTest {

  static List<Topic<?, ?>> registry() {
    return Topics.all();
  }

  @Test
  void shouldListEveryTopicConstantExactlyOnce() throws Exception {
    // Given every public Topic constant declared in the registry
    List<Object> constants = new ArrayList<>();
    for (Field f : Topics.class.getDeclaredFields()) {
      if (f.getType() == Topic.class && Modifier.isPublic(f.getModifiers())) {
        constants.add(f.get(null));
      }
    }

    // When
    List<Topic<?, ?>> all = Topics.all();

    // Then
    assertThat(all)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(
            constants.stream().<Topic<?, ?>>map(c -> (Topic<?, ?>) c).toList());
  }

  @Test
  void shouldHaveUniqueTopicNames() {
    // Given
    List<Topic<?, ?>> all = Topics.all();

    // When
    List<String> names = all.stream().map(Topic::name).toList();

    // Then
    assertThat(names)
        .doesNotHaveDuplicates()
        .containsExactly(
            "frames",
            "meshes",
            "samples",
            "meshes-decoded",
            "tracks",
            "labels",
            "mocap",
            "models",
            "dead-letter");
  }

  @ParameterizedTest
  @MethodSource("registry")
  void shouldFindEachTopicByName(Topic<?, ?> topic) {
    // Given
    String name = topic.name();

    // When
    Topic<?, ?> found = Topics.byName(name);

    // Then
    assertThat(found).isSameAs(topic);
  }

  @Test
  void shouldListTheKnownNamesWhenANameIsUnknown() {
    // Given
    String typo = "frame";

    // When / Then
    assertThatThrownBy(() -> Topics.byName(typo))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'frame'")
        .hasMessageContainingAll(
            "frames", "meshes", "samples", "labels", "mocap", "models", "dead-letter");
  }

  @Test
  void shouldKeepArchiveTopicsForever() {
    // Given the topics that training replays
    List<Topic<?, ?>> archives = List.of(Topics.FRAMES, Topics.LABELS, Topics.MOCAP);

    // When
    List<String> retention =
        archives.stream().map(t -> t.spec().configs().get("retention.ms")).toList();

    // Then
    assertThat(retention).containsOnly("-1");
  }

  @Test
  void shouldCompactModels() {
    // Given
    TopicSpec spec = Topics.MODELS.spec();

    // When
    String policy = spec.configs().get("cleanup.policy");

    // Then
    assertThat(policy).isEqualTo("compact");
  }

  @Test
  void shouldFitARejectedFrameIntoTheDeadLetterTopic() {
    // Given
    int frames = Topics.FRAMES.spec().maxMessageBytes().orElseThrow();

    // When
    int deadLetter = Topics.DEAD_LETTER.spec().maxMessageBytes().orElseThrow();

    // Then the dead letter wraps the whole frame plus its metadata
    assertThat(frames).isEqualTo(Topics.FRAME_MAX_BYTES);
    assertThat(deadLetter).isGreaterThan(frames);
  }

  @Test
  void shouldRejectForeignValuesWhenDecodingThroughATopic() {
    // Given a MeshRecovery written with headers naming its type
    RecordHeaders headers = new RecordHeaders();
    byte[] bytes =
        Topics.MESHES.valueSerde().serializer().serialize("meshes", headers, TestMessages.mesh());

    // When / Then
    assertThatThrownBy(() -> Topics.FRAMES.decodeValue(headers, bytes))
        .isInstanceOfSatisfying(
            RecordRejectedException.class,
            e ->
                assertThat(e.reason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_FOREIGN_TYPE));
  }

  @Test
  void shouldMakeRecordsThatDecodeThroughTheSameTopic() {
    // When
    var record = Topics.MESHES.record("cam-1", TestMessages.mesh());

    // Then
    assertThat(record.topic()).isEqualTo("meshes");
    assertThat(record.partition()).isNull();
    assertThat(new String(record.key(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("cam-1");
    assertThat(Topics.MESHES.decodeValue(record.headers(), record.value()))
        .isEqualTo(TestMessages.mesh());
    assertThatThrownBy(() -> Topics.FRAMES.decodeValue(record.headers(), record.value()))
        .isInstanceOf(RecordRejectedException.class);
  }

  @Test
  void shouldRefuseBlankTopicNames() {
    // Given
    TopicSpec spec = Topics.FRAMES.spec();

    // When / Then
    assertThatThrownBy(
            () -> new Topic<>(" ", Topics.FRAMES.keySerde(), Topics.FRAMES.valueSerde(), spec))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
