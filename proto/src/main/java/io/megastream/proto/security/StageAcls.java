package io.megastream.proto.security;

import io.megastream.proto.Topic;
import io.megastream.proto.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The least rights each MegaStream stage needs, as Kafka ACLs, written in terms of the topic
 * registry ({@link Topics}): what a stage reads and writes is listed here once, by topic constant,
 * and {@code megastream acls} and the Kubernetes {@code KafkaUser} resources are made from it.
 * Thread-safe (stateless).
 *
 * <p>Read and Write imply Describe of a topic; idempotent producers need nothing on the cluster
 * since Kafka 3.0 (KIP-679).
 */
public final class StageAcls {

  /** A deployable stage with a principal of its own. */
  public enum Stage {
    /** Cameras: writes frames, their labels and dead letters; reads the frames topic's config. */
    INGEST("megastream-ingest"),
    /** Workers: read frames (and models), write results in transactions of their group. */
    RECOVER("megastream-recover"),
    /** The decode Streams application. */
    DECODE("megastream-decode"),
    /** The tracks Streams application. */
    TRACKS("megastream-tracks"),
    /** The live viewer: reads results and frames; its only write is a dead letter. */
    VIEWER("megastream-viewer"),
    /** Training and model publishing: reads the archives, writes models and motion. */
    TRAIN("megastream-train");

    private final String defaultGroup;

    Stage(String defaultGroup) {
      this.defaultGroup = defaultGroup;
    }

    /** The consumer group or Streams application id the commands use by default. */
    public String defaultGroup() {
      return defaultGroup;
    }

    /** Lower-case name, as on the command line. */
    public String cliName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The stage of a command-line name.
     *
     * @throws IllegalArgumentException if no stage has that name
     */
    public static Stage of(String name) {
      for (Stage s : values()) {
        if (s.cliName().equals(name.toLowerCase(Locale.ROOT))) {
          return s;
        }
      }
      throw new IllegalArgumentException(
          "unknown stage '"
              + name
              + "'; known: "
              + List.of(values()).stream().map(Stage::cliName).toList());
    }
  }

  private StageAcls() {}

  /**
   * The prefix of every transactional id of a recover group: a worker's id is this plus its worker
   * id, so one prefixed ACL covers the group and nothing else.
   */
  public static String recoverTransactionalIdPrefix(String group) {
    return "megastream-recover-" + group + "-";
  }

  /**
   * The ACLs of one stage for {@code principal} ("User:NAME"), with its group (recover) or Streams
   * application id (decode, tracks); null takes the stage's default.
   *
   * @throws IllegalArgumentException if the principal is not of the form {@code Type:name}
   */
  public static List<AclBinding> bindings(Stage stage, String principal, String group) {
    if (!principal.matches("[A-Za-z]+:.+")) {
      throw new IllegalArgumentException("principal must look like User:NAME, got " + principal);
    }
    String g = group == null || group.isBlank() ? stage.defaultGroup() : group;
    Acls a = new Acls(principal);
    switch (stage) {
      case INGEST -> {
        a.write(Topics.FRAMES, Topics.LABELS, Topics.DEAD_LETTER);
        // ingest checks the frames topic's max.message.bytes before it starts
        a.topic(Topics.FRAMES, AclOperation.DESCRIBE_CONFIGS);
      }
      case RECOVER -> {
        a.read(Topics.FRAMES, Topics.MODELS);
        a.write(Topics.MESHES, Topics.SAMPLES, Topics.DEAD_LETTER);
        a.group(g, PatternType.LITERAL);
        a.transactionalIds(recoverTransactionalIdPrefix(g));
      }
      case DECODE -> {
        a.read(Topics.MESHES, Topics.SAMPLES);
        a.write(Topics.DECODED, Topics.DEAD_LETTER);
        a.streamsApplication(g);
      }
      case TRACKS -> {
        a.read(Topics.MESHES, Topics.DECODED);
        a.write(Topics.TRACKS);
        a.streamsApplication(g);
      }
      case VIEWER -> {
        a.read(Topics.FRAMES, Topics.MESHES, Topics.SAMPLES, Topics.DECODED);
        a.write(Topics.DEAD_LETTER);
      }
      case TRAIN -> {
        a.read(Topics.MOCAP, Topics.FRAMES, Topics.LABELS, Topics.MODELS);
        a.write(Topics.MODELS, Topics.MOCAP);
      }
    }
    return List.copyOf(a.out);
  }

  /** Collects allow-bindings for one principal from any host. */
  private static final class Acls {
    private final String principal;
    private final List<AclBinding> out = new ArrayList<>();

    Acls(String principal) {
      this.principal = principal;
    }

    void read(Topic<?, ?>... topics) {
      for (Topic<?, ?> t : topics) {
        topic(t, AclOperation.READ);
      }
    }

    void write(Topic<?, ?>... topics) {
      for (Topic<?, ?> t : topics) {
        topic(t, AclOperation.WRITE);
      }
    }

    void topic(Topic<?, ?> t, AclOperation op) {
      add(new ResourcePattern(ResourceType.TOPIC, t.name(), PatternType.LITERAL), op);
    }

    void group(String name, PatternType type) {
      add(new ResourcePattern(ResourceType.GROUP, name, type), AclOperation.READ);
    }

    void transactionalIds(String prefix) {
      ResourcePattern p =
          new ResourcePattern(ResourceType.TRANSACTIONAL_ID, prefix, PatternType.PREFIXED);
      add(p, AclOperation.WRITE);
      add(p, AclOperation.DESCRIBE);
    }

    /**
     * What Kafka Streams needs under its application id: the group, its internal (changelog and
     * repartition) topics, and the transactional ids of exactly-once v2.
     */
    void streamsApplication(String applicationId) {
      group(applicationId, PatternType.LITERAL);
      ResourcePattern internal =
          new ResourcePattern(ResourceType.TOPIC, applicationId, PatternType.PREFIXED);
      for (AclOperation op :
          List.of(
              AclOperation.CREATE,
              AclOperation.READ,
              AclOperation.WRITE,
              AclOperation.DELETE,
              AclOperation.DESCRIBE_CONFIGS)) {
        add(internal, op);
      }
      transactionalIds(applicationId);
    }

    private void add(ResourcePattern pattern, AclOperation op) {
      out.add(
          new AclBinding(
              pattern, new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
    }
  }
}
