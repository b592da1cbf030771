package io.megastream.cli;

import io.megastream.sink.decode.DecodeApp;
import io.megastream.sink.view.Viewer;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The demo's consumer side: the decode application ({@code meshes} → {@code meshes-decoded}) and
 * the viewer, live while the demo runs, then replaying the run at capture pace on the same address.
 */
final class DemoViewer implements AutoCloseable {

  /** The demo's decode application id (its ACLs are granted under it when secure). */
  static final String DECODE_APPLICATION_ID = "megastream-demo-decode";

  private final Map<String, Object> kafka;
  private final Viewer.Options options;
  private final DecodeApp decode;
  private Viewer viewer;

  private DemoViewer(
      Map<String, Object> kafka, Viewer.Options options, DecodeApp decode, Viewer v) {
    this.kafka = kafka;
    this.options = options;
    this.decode = decode;
    this.viewer = v;
  }

  /**
   * Starts decoding (with {@code decodeKafka}) and the live viewer (with {@code kafka}); a busy
   * port falls back to a free one.
   */
  static DemoViewer start(
      Map<String, Object> decodeKafka,
      Map<String, Object> kafka,
      Path tokenizer,
      Path model,
      Path workDir,
      int port)
      throws Exception {
    Map<String, Object> streams = new java.util.HashMap<>(decodeKafka);
    streams.put("state.dir", workDir.resolve("streams").toAbsolutePath().toString());
    DecodeApp decode =
        new DecodeApp(streams, DECODE_APPLICATION_ID, List.of(tokenizer), List.of(model));
    decode.start();
    Viewer.Options options = Viewer.Options.defaults().withPort(port).withTokenizer(tokenizer);
    Viewer v;
    try {
      v = new Viewer(kafka, options).start();
    } catch (BindException busy) {
      options = options.withPort(0);
      v = new Viewer(kafka, options).start();
    }
    v.feed().awaitReady(Duration.ofSeconds(30));
    System.out.println(
        "   decode application -> '"
            + io.megastream.proto.Topics.DECODED.name()
            + "'; live viewer at "
            + v.url()
            + " (open it now to watch the run)");
    return new DemoViewer(kafka, options.withPort(v.port()), decode, v);
  }

  /**
   * Waits until the viewer has received at least {@code results} decoded results and no more arrive
   * (one per person plus one per empty frame), or 2 minutes pass.
   */
  boolean awaitDecoded(long results, PrintStream out) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    long last = -1;
    while ((viewer.feed().meshes() < results || viewer.feed().meshes() != last)
        && System.nanoTime() < deadline) {
      last = viewer.feed().meshes();
      Thread.sleep(1500); // then once more: the empty frames' results come too
    }
    long got = viewer.feed().meshes();
    var d = viewer.drawDelays();
    out.printf(
        "   decoded %d results for the viewer (%d browser(s) connected, %d events dropped for slow"
            + " ones)%s%n",
        got,
        viewer.clients().connected(),
        viewer.clients().dropped(),
        d.count() == 0
            ? ""
            : String.format(
                ", capture -> browser draw p50 %.0f ms, p99 %.0f ms over %d frames",
                d.quantile(0.5), d.quantile(0.99), d.count()));
    return got >= results;
  }

  /** Replays the run in the viewer for {@code seconds} (0: until Ctrl-C). */
  void replay(int seconds, UntilStopped until, PrintStream out) throws Exception {
    viewer.close();
    viewer = new Viewer(kafka, options.withReplay(true)).start();
    out.println();
    out.println(
        "== The viewer: open "
            + viewer.url()
            + " - it replays this run at capture pace, in a loop"
            + (seconds > 0 ? " (for " + seconds + " s)" : "; Ctrl-C to stop"));
    until.await(seconds);
  }

  @Override
  public void close() {
    viewer.close();
    decode.close();
  }
}
