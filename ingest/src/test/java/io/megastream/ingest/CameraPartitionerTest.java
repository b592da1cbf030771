package io.megastream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.junit.jupiter.api.Test;

class CameraPartitionerTest {

  private static final Node NODE = new Node(1, "localhost", 9092);

  private static Cluster cluster(int partitions) {
    List<PartitionInfo> infos =
        IntStream.range(0, partitions)
            .mapToObj(
                p -> new PartitionInfo("frames", p, NODE, new Node[] {NODE}, new Node[] {NODE}))
            .toList();
    return new Cluster("c", List.of(NODE), infos, Set.of(), Set.of());
  }

  private static int partition(CameraPartitioner p, String key, int partitions) {
    return p.partition(
        "frames", key, key.getBytes(StandardCharsets.UTF_8), null, null, cluster(partitions));
  }

  @Test
  void shouldGiveEachListedCameraItsOwnPartition() {
    // Given: the load test's six cameras, which the default hash puts on only three partitions
    List<String> cameras = List.of("load-1", "load-2", "load-3", "load-4", "load-5", "load-6");
    Set<Integer> hashed = new HashSet<>();
    for (String c : cameras) {
      hashed.add(BuiltInPartitioner.partitionForKey(c.getBytes(StandardCharsets.UTF_8), 6));
    }
    CameraPartitioner p = new CameraPartitioner();
    p.configure(CameraPartitioner.properties(cameras));

    // When
    Set<Integer> spread = new HashSet<>();
    for (String c : cameras) {
      spread.add(partition(p, c, 6));
    }

    // Then: six partitions, where the hash used fewer; more cameras than partitions wrap
    assertThat(hashed).hasSizeLessThan(6);
    assertThat(spread).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    assertThat(partition(p, "load-2", 6)).isEqualTo(1);
    assertThat(partition(p, "load-2", 4)).isEqualTo(1);
    assertThat(partition(p, "load-6", 4)).isEqualTo(1);
  }

  @Test
  void shouldStrideFewCamerasAcrossThePartitions() {
    // Given: two cameras and six partitions, which a range assignor splits 0-2 / 3-5 over two
    // workers
    CameraPartitioner p = new CameraPartitioner();
    p.configure(CameraPartitioner.properties(List.of("a", "b")));

    // Then: one camera in each half
    assertThat(partition(p, "a", 6)).isZero();
    assertThat(partition(p, "b", 6)).isEqualTo(3);
  }

  @Test
  void shouldHashOtherKeysAsKafkaDoes() {
    CameraPartitioner p = new CameraPartitioner();
    p.configure(CameraPartitioner.properties(List.of("a")));
    assertThat(partition(p, "not-listed", 6))
        .isEqualTo(
            BuiltInPartitioner.partitionForKey("not-listed".getBytes(StandardCharsets.UTF_8), 6));
  }

  @Test
  void shouldRefuseCameraIdsThatCannotBeListed() {
    assertThatThrownBy(() -> CameraPartitioner.properties(List.of("a,b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("comma");
  }
}
