package io.megastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.proto.Topics;
import io.megastream.proto.admin.TopicCreator;
import io.megastream.proto.security.StageAcls;
import io.megastream.proto.security.StageAcls.Stage;
import io.megastream.recover.RecoverConfig;
import io.megastream.recover.RecoverWorker;
import io.megastream.sink.decode.DecodeApp;
import io.megastream.sink.track.TrackApp;
import io.megastream.sink.view.Viewer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every stage on the secure embedded broker with its own principal and only {@link StageAcls}'
 * rights, run as a user runs it ({@code --command-config} files from {@code broker --secure}'s
 * {@link StageUsers}); and what happens to those without the rights. Checks read the topics as the
 * administrator.
 */
class SecureStagesIT {

  private static final Path MODELS = Path.of("..", "..", "models");

  @TempDir static Path dir;
  static EmbeddedKafkaBroker broker;
  static StageUsers users;

  @BeforeAll
  static void start() throws Exception {
    broker =
        EmbeddedKafkaBroker.builder()
            .optSecure(true)
            .optDataDir(dir.resolve("kafka"))
            .build()
            .start();
    try (Admin admin = Admin.create(broker.clientProperties())) {
      TopicCreator.builder(admin).build().create(Topics.all());
    }
    users = StageUsers.create(broker, Map.of());
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void shouldRunEveryStageWithItsOwnPrincipalAndNoMoreRights() throws Exception {
    // Given: a camera ingested as User:ingest
    long framesBefore = endOffset(Topics.FRAMES.name());
    assertThat(ingest(users.file(Stage.INGEST), "secure-cam", 6)).isEqualTo(ExitCodes.OK);
    assertThat(endOffset(Topics.FRAMES.name())).isEqualTo(framesBefore + 6);

    // When: recover as User:recover, decode, tracks and the viewer as theirs
    assertThat(
            Main.execute(
                "recover",
                "--bootstrap-server",
                broker.bootstrapServers(),
                "--command-config",
                users.file(Stage.RECOVER).toString(),
                "--model",
                MODELS.resolve("mega").toString(),
                "--tokenizer",
                MODELS.resolve("tokenizer").toString(),
                "--mode",
                "deterministic",
                "--metrics-port",
                "0",
                "--max-frames",
                "6"))
        .isEqualTo(ExitCodes.OK);
    long meshes = committedMeshes();
    assertThat(meshes).isGreaterThanOrEqualTo(6);

    Map<String, Object> decodeProps = new HashMap<>(users.properties(Stage.DECODE));
    decodeProps.put("state.dir", dir.resolve("decode-state").toString());
    Map<String, Object> tracksProps = new HashMap<>(users.properties(Stage.TRACKS));
    tracksProps.put("state.dir", dir.resolve("tracks-state").toString());
    try (DecodeApp decode =
            new DecodeApp(decodeProps, Stage.DECODE.defaultGroup(), MODELS.resolve("tokenizer"));
        TrackApp tracks = new TrackApp(tracksProps, Stage.TRACKS.defaultGroup(), 0.5);
        Viewer viewer =
            new Viewer(
                    users.properties(Stage.VIEWER),
                    Viewer.Options.defaults()
                        .withPort(0)
                        .withTokenizer(MODELS.resolve("tokenizer")))
                .start()) {
      decode.start();
      tracks.start();

      // Then: each stage's output arrives, written under its own principal
      assertThat(await(() -> committed(Topics.DECODED), meshes))
          .as("decoded results")
          .isGreaterThanOrEqualTo(meshes);
      assertThat(await(() -> committed(Topics.TRACKS), 1)).as("track updates").isPositive();
      assertThat(await(() -> viewer.feed().meshes(), 1)).as("meshes the viewer read").isPositive();
    }
  }

  @Test
  void shouldRefuseAPrincipalWithoutTheRightAndWriteNothing() throws Exception {
    // Given: the viewer's principal, which may read frames but not write them
    long before = endOffset(Topics.FRAMES.name());

    // When: it tries to ingest
    int code = ingest(users.file(Stage.VIEWER), "intruder-cam", 3);

    // Then: refused, and the frames topic holds nothing more
    assertThat(code).isEqualTo(ExitCodes.KAFKA_UNAVAILABLE);
    assertThat(endOffset(Topics.FRAMES.name())).isEqualTo(before);
  }

  @Test
  void shouldExitWith4AndSayWhyOnAWrongPassword() throws Exception {
    // Given: the ingest properties with the password changed
    var props = broker.scramProperties(Stage.INGEST.cliName(), "not-the-password");
    Path wrong = dir.resolve("wrong.properties");
    try (var out = Files.newOutputStream(wrong)) {
      props.store(out, null);
    }
    long before = endOffset(Topics.FRAMES.name());

    // When
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = ingest(wrong, "wrong-password-cam", 3);
    } finally {
      System.setErr(err);
    }

    // Then
    String stderr = captured.toString(StandardCharsets.UTF_8);
    err.print(stderr);
    assertThat(code).isEqualTo(ExitCodes.KAFKA_UNAVAILABLE);
    assertThat(stderr).contains("refused the login").containsIgnoringCase("authentication failed");
    assertThat(endOffset(Topics.FRAMES.name())).isEqualTo(before);
  }

  @Test
  void shouldStopARecoverWorkerWhoseWriteRightIsRevoked() throws Exception {
    // Given: a worker of its own group and principal, running on frames it may process
    String group = "revoke-it";
    var creds = broker.createScramUser("recover-revoked");
    List<AclBinding> acls = StageAcls.bindings(Stage.RECOVER, "User:recover-revoked", group);
    try (Admin admin = Admin.create(broker.clientProperties())) {
      admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
    }
    Thread.sleep(500);
    assertThat(ingest(users.file(Stage.INGEST), "revoke-cam-1", 2)).isEqualTo(ExitCodes.OK);
    Map<String, Object> kafka = new HashMap<>();
    creds.forEach((k, v) -> kafka.put(k.toString(), v));
    RecoverConfig config =
        RecoverConfig.builder(broker.bootstrapServers())
            .optKafka(kafka)
            .optGroupId(group)
            .optWorkerId("revoked-1")
            .optModelDir(MODELS.resolve("mega"))
            .optTokenizerDir(MODELS.resolve("tokenizer"))
            .optMode(io.megastream.mega.inference.PersonRecoverer.Mode.DETERMINISTIC)
            .optMetricsPort(0)
            .build();
    try (RecoverWorker worker = new RecoverWorker(config)) {
      worker.start();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      long frames = endOffset(Topics.FRAMES.name());
      while (worker.stats().frames() < frames && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(worker.stats().frames()).isEqualTo(frames);
      assertThat(worker.failure()).isNull();

      // When: its right to write meshes is taken away, and more frames come
      try (Admin admin = Admin.create(broker.clientProperties())) {
        admin
            .deleteAcls(
                acls.stream()
                    .filter(
                        a ->
                            a.entry().operation() == AclOperation.WRITE
                                && a.pattern().name().equals(Topics.MESHES.name()))
                    .map(AclBinding::toFilter)
                    .toList())
            .all()
            .get(30, TimeUnit.SECONDS);
      }
      Thread.sleep(500);
      long meshesBefore = committedMeshes();
      assertThat(ingest(users.file(Stage.INGEST), "revoke-cam-2", 2)).isEqualTo(ExitCodes.OK);

      // Then: it stops with the authorization policy instead of retrying, and commits nothing
      assertThat(worker.awaitStopped(Duration.ofMinutes(2))).as("worker stopped").isTrue();
      assertThat(worker.failure())
          .isNotNull()
          .satisfies(
              f ->
                  assertThat(chain(f))
                      .anyMatch(
                          t -> t instanceof org.apache.kafka.common.errors.AuthorizationException));
      assertThat(worker.stats().frames()).isEqualTo(frames);
      assertThat(committedMeshes()).isEqualTo(meshesBefore);
    }
  }

  private static List<Throwable> chain(Throwable t) {
    List<Throwable> out = new java.util.ArrayList<>();
    for (Throwable c = t; c != null && out.size() < 10; c = c.getCause()) {
      out.add(c);
    }
    return out;
  }

  private static long committedMeshes() {
    return committed(Topics.MESHES);
  }

  /** Records a read_committed reader sees, counted as the administrator. */
  private static <V> long committed(io.megastream.proto.Topic<String, V> topic) {
    Map<String, Object> p = new HashMap<>();
    broker.clientProperties().forEach((k, v) -> p.put(k.toString(), v));
    long[] n = {0};
    new io.megastream.proto.read.TopicSnapshot(p)
        .read(topic, Duration.ofSeconds(30), "created by the test", (r, v) -> n[0]++);
    return n[0];
  }

  private static int ingest(Path commandConfig, String camera, int frames) {
    return Main.execute(
        "ingest",
        "--bootstrap-server",
        broker.bootstrapServers(),
        "--command-config",
        commandConfig.toString(),
        "--camera",
        camera + "=synthetic:persons=1,seed=3,frames=" + frames + ",size=320x240,fps=25",
        "--progress-interval",
        "0");
  }

  private static long await(LongSupplier value, long atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (value.getAsLong() < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(250);
    }
    return value.getAsLong();
  }

  private static long endOffset(String topic) throws Exception {
    try (Admin admin = Admin.create(broker.clientProperties())) {
      int n =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
      Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
      for (int i = 0; i < n; i++) {
        specs.put(new TopicPartition(topic, i), OffsetSpec.latest());
      }
      return admin.listOffsets(specs).all().get(30, TimeUnit.SECONDS).values().stream()
          .mapToLong(i -> i.offset())
          .sum();
    }
  }
}
