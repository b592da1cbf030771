package io.megastream.sink.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ViewerClientsTest {

  @Test
  void shouldDropTheOldestEventsOfAClientThatDoesNotKeepUp() throws Exception {
    // Given: a client that reads nothing, 8 events of buffer
    ViewerClients clients = new ViewerClients(8);
    ViewerClients.Client stalled = clients.connect();

    // When: 1,000 events are published
    for (int i = 0; i < 1000; i++) {
      clients.publish(new ViewerClients.Event("mesh", Integer.toString(i)));
    }

    // Then: publishing never waited, the 992 oldest were dropped and counted, the newest 8 remain
    assertThat(clients.published()).isEqualTo(1000);
    assertThat(stalled.dropped()).isEqualTo(992);
    assertThat(clients.dropped()).isEqualTo(992);
    assertThat(stalled.next(0, TimeUnit.MILLISECONDS).data()).isEqualTo("992");
  }

  @Test
  void shouldNotLetAStalledClientTakeEventsFromAnother() throws Exception {
    // Given
    ViewerClients clients = new ViewerClients(4);
    ViewerClients.Client stalled = clients.connect();
    ViewerClients.Client reader = clients.connect();

    // When: the reader drains after every event, the other never does
    int read = 0;
    for (int i = 0; i < 100; i++) {
      clients.publish(new ViewerClients.Event("mesh", Integer.toString(i)));
      if (reader.next(0, TimeUnit.MILLISECONDS) != null) {
        read++;
      }
    }

    // Then
    assertThat(read).isEqualTo(100);
    assertThat(reader.dropped()).isZero();
    assertThat(stalled.dropped()).isEqualTo(96);
  }

  @Test
  void shouldForgetAClosedClient() {
    ViewerClients clients = new ViewerClients(4);
    ViewerClients.Client c = clients.connect();
    assertThat(clients.connected()).isEqualTo(1);

    c.close();

    assertThat(clients.connected()).isZero();
  }

  @Test
  void shouldRejectViewerOptionsThatCannotWork() {
    Viewer.Options ok = Viewer.Options.defaults();
    assertThatThrownBy(() -> ok.withClientBuffer(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clientBuffer");
    assertThatThrownBy(() -> ok.withPort(70_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port");
  }

  @Test
  void shouldRejectAnEmptyBuffer() {
    assertThatThrownBy(() -> new ViewerClients(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity");
  }
}
