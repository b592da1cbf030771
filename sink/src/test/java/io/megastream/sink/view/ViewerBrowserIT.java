package io.megastream.sink.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.broker.testing.SharedKafka;
import io.megastream.mega.body.ProceduralBody;
import io.megastream.mega.body.SkinnedBodyModel;
import io.megastream.proto.Frame;
import io.megastream.proto.FrameRef;
import io.megastream.proto.MeshRecovery;
import io.megastream.proto.PersonBox;
import io.megastream.proto.RecoveryMode;
import io.megastream.proto.RecoveryStatus;
import io.megastream.proto.StochasticSamples;
import io.megastream.proto.TokenSequence;
import io.megastream.proto.Topic;
import io.megastream.proto.Topics;
import io.megastream.proto.Uncertainty;
import io.megastream.sink.decode.DecodeApp;
import io.megastream.train.image.SceneFrames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The whole consumer path in a real browser: rendered frames and recover results on the real broker
 * → the decode application → {@code meshes-decoded} → the viewer → Debian's headless chromium
 * (Selenium). The page must connect, receive the meshes and draw them with WebGL, show the samples
 * of the sampled person on request, and report its capture → draw delay. The screenshot is kept in
 * {@code target/viewer-screenshot.png}. Skipped when chromium or chromedriver is missing.
 */
@ExtendWith(SharedKafka.class)
class ViewerBrowserIT {

  static final String CAMERA = "view-a";
  static final int FRAMES = 12;
  static final int Q = 4;
  static final String SECTION = "section[data-camera='" + CAMERA + "']";

  @Test
  void shouldDrawLiveMeshesInAHeadlessBrowser(EmbeddedKafkaBroker kafka) throws Exception {
    assumeTrue(
        HeadlessChromium.available(), "Debian's chromium and chromium-driver are not installed");
    Map<String, Object> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
    try (DecodeApp decode =
            new DecodeApp(client, "viewer-it-decode", Path.of("..", "models", "tokenizer"));
        Viewer viewer =
            new Viewer(
                    client,
                    Viewer.Options.defaults()
                        .withPort(0)
                        .withTokenizer(Path.of("..", "models", "tokenizer")))
                .start()) {
      decode.start();
      assertThat(viewer.feed().awaitReady(Duration.ofSeconds(60))).isTrue();
      ChromeDriver browser = HeadlessChromium.start(1040, 720);
      try {
        // Given: the page is open and connected (live: it sees what arrives from now on)
        browser.get(viewer.url());
        JavascriptExecutor js = browser;
        page =
            () ->
                String.valueOf(
                    js.executeScript(
                        "return JSON.stringify({state: window.megastream, info:"
                            + " document.querySelector(\""
                            + SECTION
                            + " .info\")?.textContent})"));
        await(() -> "live".equals(js.executeScript("return window.megastream.mode")), 30);

        // When: a camera's frames and results arrive
        produce(kafka);

        // Then: the page drew every frame's meshes
        await(
            () -> ((Number) js.executeScript("return window.megastream.drawn")).longValue() >= 3,
            120);
        String cam = "window.megastream.cameras['" + CAMERA + "']";
        await(
            () ->
                ((Number) js.executeScript("return " + cam + ".seq")).longValue() == FRAMES - 1
                    && ((Number) js.executeScript("return " + cam + ".withMesh")).longValue() == 2,
            60);
        assertThat(meshPixels(js))
            .as("pixels the meshes cover in the WebGL view")
            .isGreaterThan(500);
        assertThat(framePixels(js))
            .as("pixels of the frame's picture in the 2D view (640x480)")
            .isGreaterThan(100_000);
        assertThat((List<?>) js.executeScript("return window.megastream.errors")).isEmpty();

        // And: the sampled person's samples come when asked for
        browser.findElement(By.cssSelector(SECTION + " .persons button")).click();
        await(() -> info(js).contains(Q + " samples"), 30);
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(
            shot, Path.of("target", "viewer-screenshot.png"), StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(Path.of("target", "viewer-screenshot.png"))).isGreaterThan(10_000);

        // And: the page measured this camera's capture → draw delay and reported delays back to
        // the server (which also holds those of other tests' cameras the shared broker replays)
        assertThat(((Number) js.executeScript("return " + cam + ".lastDelayMs")).doubleValue())
            .isBetween(0.0, 60_000.0);
        await(() -> viewer.drawDelays().count() >= 1, 30);
        assertThat(viewer.clients().connected()).isEqualTo(1);
      } finally {
        browser.quit();
      }
    }
  }

  private static String info(JavascriptExecutor js) {
    return (String)
        js.executeScript("return document.querySelector(\"" + SECTION + " .info\").textContent");
  }

  /** Pixels of the 3D view that differ from its background: the meshes were drawn. */
  private static long meshPixels(JavascriptExecutor js) {
    return pixelsUnlike(js, ".three canvas", 0x22, 0x26, 0x2d);
  }

  /** Pixels of the frame view that are not black: the frame's picture was drawn. */
  private static long framePixels(JavascriptExecutor js) {
    return pixelsUnlike(js, ".frame canvas", 0, 0, 0);
  }

  /** Pixels of a canvas of the camera's section that differ from a colour. */
  private static long pixelsUnlike(JavascriptExecutor js, String canvas, int r, int g, int b) {
    Object n =
        js.executeScript(
            "const c = document.querySelector(\""
                + SECTION
                + " "
                + canvas
                + "\");"
                + "const t = document.createElement('canvas'); t.width = c.width; t.height = c.height;"
                + "const g = t.getContext('2d'); g.drawImage(c, 0, 0);"
                + "const d = g.getImageData(0, 0, t.width, t.height).data; let n = 0;"
                + "for (let i = 0; i < d.length; i += 4) {"
                + "  const off = Math.abs(d[i] - arguments[0]) + Math.abs(d[i+1] - arguments[1])"
                + "    + Math.abs(d[i+2] - arguments[2]);"
                + "  if (off > 60) n++; }"
                + "return n;",
            r,
            g,
            b);
    return ((Number) n).longValue();
  }

  /** Rendered frames of two people; person 0 deterministic, person 1 sampled with Q samples. */
  private static void produce(EmbeddedKafkaBroker kafka) throws Exception {
    SkinnedBodyModel body = ProceduralBody.build();
    List<Frame> frames =
        SceneFrames.render(SceneFrames.scene(body, 7, FRAMES, 2, 640, 480), CAMERA, "run-1", 8);
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            kafka.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Frame f : frames) {
        long now = System.currentTimeMillis() * 1000;
        Frame frame = f.toBuilder().setCaptureTimeUs(now).build();
        send(p, Topics.FRAMES, frame);
        FrameRef ref =
            FrameRef.newBuilder()
                .setCameraId(CAMERA)
                .setSeq(f.getSeq())
                .setCaptureTimeUs(now)
                .setIngestRunId("run-1")
                .build();
        for (int person = 0; person < frame.getPersonsCount(); person++) {
          PersonBox pb = frame.getPersons(person);
          boolean sampled = person == 1;
          MeshRecovery.Builder m =
              MeshRecovery.newBuilder()
                  .setSchemaVersion(1)
                  .setFrame(ref)
                  .setStatus(RecoveryStatus.RECOVERY_STATUS_OK)
                  .setPersonIndex(person)
                  .setTrackId(pb.getTrackId())
                  .setBox(pb.getBox())
                  .setMode(
                      sampled
                          ? RecoveryMode.RECOVERY_MODE_STOCHASTIC
                          : RecoveryMode.RECOVERY_MODE_DETERMINISTIC)
                  .setConfidence(sampled ? 0.8f : 0.97f)
                  .setModelVersion("viewer-it")
                  // upright: the body's y-up turned into the camera's y-down
                  .addAllRotation6D(List.of(1f, 0f, 0f, 0f, -1f, 0f))
                  .addAllCamera(List.of(0.8f, 0f, 0f));
          for (int t = 0; t < 54; t++) {
            m.addTokens((t * 31 + (int) f.getSeq()) % 512);
          }
          send(p, Topics.MESHES, m.build());
          if (sampled) {
            StochasticSamples.Builder s =
                StochasticSamples.newBuilder()
                    .setSchemaVersion(1)
                    .setFrame(ref)
                    .setPersonIndex(person)
                    .setNumSamples(Q)
                    .setNumSteps(4)
                    .setTemperature(1f)
                    .setModelVersion("viewer-it")
                    .setUncertainty(Uncertainty.newBuilder().setMeanVertexSdMm(42f));
            for (int q = 0; q < Q; q++) {
              TokenSequence.Builder t = TokenSequence.newBuilder();
              for (int k = 0; k < 54; k++) {
                t.addTokens((k * 17 + q * 101) % 512);
              }
              s.addSamples(t);
            }
            for (int v = 0; v < body.vertexCount(); v++) {
              s.addVertexSdMm(v % 120);
            }
            send(p, Topics.SAMPLES, s.build());
          }
        }
        Thread.sleep(100);
      }
      p.flush();
    }
  }

  private static <V> void send(KafkaProducer<byte[], byte[]> p, Topic<String, V> topic, V value)
      throws Exception {
    p.send(topic.record(CAMERA, value)).get();
  }

  private static java.util.function.Supplier<String> page = () -> "";

  private static String page() {
    return page.get();
  }

  private static void await(Supplier<Boolean> condition, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (Boolean.TRUE.equals(condition.get())) {
          return;
        }
      } catch (RuntimeException notYet) {
        // the page has not built that part yet
      }
      Thread.sleep(200);
    }
    assertThat(condition.get()).as(() -> "condition within " + seconds + " s; " + page()).isTrue();
  }
}
