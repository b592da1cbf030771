package io.megastream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestStatsTest {

  @Test
  void shouldAccountEveryReadFrameAsSentDroppedOversizeFailedOrInFlight() {
    // Given
    IngestStats stats = new IngestStats();
    IngestStats.Camera cam = stats.camera("cam1");

    // When: 10 read, 4 sent, 2 dropped, 1 oversize, 1 failed, 1 corrupt (never read)
    for (int i = 0; i < 10; i++) {
      cam.recordRead();
    }
    for (int i = 0; i < 4; i++) {
      cam.recordSent(1000, 2);
    }
    cam.recordDropped();
    cam.recordDropped();
    cam.recordOversize();
    cam.recordFailed();
    cam.recordCorrupt();

    // Then
    assertThat(cam.read()).isEqualTo(10);
    assertThat(cam.sent()).isEqualTo(4);
    assertThat(cam.sentBytes()).isEqualTo(4000);
    assertThat(cam.persons()).isEqualTo(8);
    assertThat(cam.dropped()).isEqualTo(2);
    assertThat(cam.oversize()).isEqualTo(1);
    assertThat(cam.failed()).isEqualTo(1);
    assertThat(cam.corrupt()).isEqualTo(1);
    assertThat(cam.inFlight()).isEqualTo(2);
  }

  @Test
  void shouldReturnTheSameCountersForACameraAndSumOverCameras() {
    // Given
    IngestStats stats = new IngestStats();

    // When
    stats.camera("a").recordSent(10, 1);
    stats.camera("a").recordSent(10, 0);
    stats.camera("b").recordSent(5, 3);
    stats.camera("b").recordReconnect();

    // Then
    assertThat(stats.camera("a")).isSameAs(stats.camera("a"));
    assertThat(stats.cameras()).containsOnlyKeys("a", "b");
    assertThat(stats.total(IngestStats.Camera::sent)).isEqualTo(3);
    assertThat(stats.total(IngestStats.Camera::sentBytes)).isEqualTo(25);
    assertThat(stats.total(IngestStats.Camera::persons)).isEqualTo(4);
    assertThat(stats.total(IngestStats.Camera::reconnects)).isEqualTo(1);
  }

  @Test
  void shouldCountEveryIncrementFromManyThreads() throws Exception {
    // Given
    IngestStats stats = new IngestStats();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(
          new Thread(
              () -> {
                for (int i = 0; i < 10_000; i++) {
                  stats.camera("cam" + (i % 3)).recordRead();
                }
              }));
    }

    // When
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join(20_000);
    }

    // Then
    assertThat(threads).noneMatch(Thread::isAlive);
    assertThat(stats.cameras()).hasSize(3);
    assertThat(stats.total(IngestStats.Camera::read)).isEqualTo(40_000);
  }
}
