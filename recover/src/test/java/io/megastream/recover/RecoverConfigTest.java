package io.megastream.recover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.megastream.proto.Box;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RecoverConfigTest {

  @Test
  void shouldHaveWorkingDefaultsAndAStableTransactionalId() {
    RecoverConfig c =
        RecoverConfig.builder("127.0.0.1:9092").optGroupId("g").optWorkerId("w7").build();
    assertThat(c.transactionalId()).isEqualTo("megastream-recover-g-w7");
    assertThat(c.threshold()).isEqualTo(RecoverConfig.DEFAULT_THRESHOLD);
    assertThat(c.maxAge()).isNull(); // archive mode by default
    assertThat(c.kafka()).containsEntry("bootstrap.servers", "127.0.0.1:9092");
  }

  @Test
  void shouldRejectInvalidSettings() {
    assertThatThrownBy(() -> RecoverConfig.builder("b:1").optThreshold(1.5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threshold");
    assertThatThrownBy(() -> RecoverConfig.builder("b:1").optMaxBatchPersons(0).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RecoverConfig.builder("b:1").optMaxWait(Duration.ofMillis(-1)).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RecoverConfig.builder("b:1").optWorkerId(" ").build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldAcceptBoxesThatOverlapTheImageOnly() {
    assertThat(BatchProcessor.inside(box(10, 10, 50, 80), 320, 240)).isTrue();
    assertThat(BatchProcessor.inside(box(-20, -5, 50, 80), 320, 240)).isTrue(); // partly out
    assertThat(BatchProcessor.inside(box(400, 10, 50, 80), 320, 240)).isFalse();
    assertThat(BatchProcessor.inside(box(10, 10, 0, 80), 320, 240)).isFalse();
    assertThat(BatchProcessor.inside(box(10, 10, Float.NaN, 80), 320, 240)).isFalse();
    assertThat(BatchProcessor.inside(box(-60, 10, 50, 80), 320, 240)).isFalse();
  }

  private static Box box(float x, float y, float w, float h) {
    return Box.newBuilder().setX(x).setY(y).setWidth(w).setHeight(h).build();
  }
}
