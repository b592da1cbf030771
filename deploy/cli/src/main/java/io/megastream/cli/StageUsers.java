package io.megastream.cli;

import io.megastream.broker.EmbeddedKafkaBroker;
import io.megastream.proto.security.StageAcls;
import io.megastream.proto.security.StageAcls.Stage;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;

/**
 * One principal per stage on a secure embedded broker: a SCRAM user named after the stage ({@code
 * User:ingest}, {@code User:recover}, ...) holding exactly {@link StageAcls}' rights, and its
 * client properties written to {@code DATA/security/STAGE.properties} for {@code --command-config}.
 */
final class StageUsers {

  private final Map<Stage, Map<String, Object>> properties;
  private final Map<Stage, Path> files;

  private StageUsers(Map<Stage, Map<String, Object>> properties, Map<Stage, Path> files) {
    this.properties = properties;
    this.files = files;
  }

  /**
   * Creates every stage's user and ACLs; {@code groups} overrides a stage's group or application
   * id.
   *
   * @throws IllegalStateException if the ACLs cannot be created
   */
  static StageUsers create(EmbeddedKafkaBroker broker, Map<Stage, String> groups)
      throws InterruptedException {
    Map<Stage, Map<String, Object>> props = new EnumMap<>(Stage.class);
    Map<Stage, Path> files = new EnumMap<>(Stage.class);
    try (Admin admin = Admin.create(broker.clientProperties())) {
      for (Stage s : Stage.values()) {
        Properties p = broker.createScramUser(s.cliName());
        List<AclBinding> acls = StageAcls.bindings(s, "User:" + s.cliName(), groups.get(s));
        admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        files.put(s, broker.writeClientProperties(s.cliName(), p));
        Map<String, Object> m = new HashMap<>();
        p.forEach((k, v) -> m.put(k.toString(), v));
        props.put(s, Map.copyOf(m));
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create the stages' ACLs: " + e.getMessage(), e);
    }
    // ACLs and credentials reach the authorizer through the metadata log: a moment's delay.
    Thread.sleep(500);
    return new StageUsers(props, files);
  }

  /** Client properties of one stage's principal, bootstrap.servers included. */
  Map<String, Object> properties(Stage stage) {
    return properties.get(stage);
  }

  /** The properties file of one stage. */
  Path file(Stage stage) {
    return files.get(stage);
  }
}
