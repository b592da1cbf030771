package io.megastream.sink.view;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameStoreTest {

  @Test
  void shouldKeepTheNewestFramesOfEachCamera() {
    // Given
    FrameStore store = new FrameStore(3);

    // When: five frames of one camera, one of another
    for (long seq = 0; seq < 5; seq++) {
      store.put("a", new FrameStore.Stored(seq, 64, 48, new byte[] {(byte) seq}));
    }
    store.put("b", new FrameStore.Stored(0, 64, 48, new byte[] {9}));

    // Then
    assertThat(store.get("a", 1)).isNull();
    assertThat(store.get("a", 4).jpeg()).containsExactly(4);
    assertThat(store.get("b", 0).jpeg()).containsExactly(9);
    assertThat(store.sizes()).containsEntry("a", 3).containsEntry("b", 1);
    assertThat(store.get("c", 0)).isNull();
  }
}
