package io.megastream.proto.admin;

import io.megastream.proto.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates registry topics with their default configs on any cluster and waits until every partition
 * is writable. Waiting matters: producing right after {@code createTopics} can lose records
 * (KAFKA-15591); after {@code listOffsets} succeeds for every partition it does not. Not
 * thread-safe; uses the caller's {@link Admin}.
 */
public final class TopicCreator {

  private static final Logger log = LoggerFactory.getLogger(TopicCreator.class);

  private final Admin admin;
  private final Optional<Integer> partitions;
  private final Optional<Short> replicationFactor;
  private final Map<String, Map<String, String>> configOverrides;
  private final Duration timeout;

  private TopicCreator(Builder b) {
    this.admin = b.admin;
    this.partitions = Optional.ofNullable(b.partitions);
    this.replicationFactor = Optional.ofNullable(b.replicationFactor);
    this.configOverrides = Map.copyOf(b.configOverrides);
    this.timeout = b.timeout;
  }

  public static Builder builder(Admin admin) {
    return new Builder(admin);
  }

  /** What happened to one topic. */
  public enum Outcome {
    CREATED,
    ALREADY_EXISTED
  }

  /**
   * Creates the topics that do not exist yet (existing ones are left as they are) and waits until
   * all of them accept writes.
   *
   * @return the outcome per topic name, in the given order
   * @throws TopicAdminException if creation fails for another reason than existence, or the topics
   *     do not become writable within the timeout
   */
  public Map<String, Outcome> create(Collection<Topic<?, ?>> topics) {
    List<NewTopic> requests = new ArrayList<>();
    for (Topic<?, ?> t : topics) {
      Map<String, String> configs = new HashMap<>(t.spec().configs());
      configs.putAll(configOverrides.getOrDefault(t.name(), Map.of()));
      requests.add(
          new NewTopic(
                  t.name(),
                  Optional.of(partitions.orElse(t.spec().partitions())),
                  replicationFactor)
              .configs(configs));
    }
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    CreateTopicsResult result = admin.createTopics(requests);
    for (Map.Entry<String, KafkaFuture<Void>> e : result.values().entrySet()) {
      try {
        e.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        outcomes.put(e.getKey(), Outcome.CREATED);
        log.info("created topic {}", e.getKey());
      } catch (ExecutionException ex) {
        if (ex.getCause() instanceof TopicExistsException) {
          outcomes.put(e.getKey(), Outcome.ALREADY_EXISTED);
        } else {
          throw new TopicAdminException("cannot create topic " + e.getKey(), ex.getCause());
        }
      } catch (TimeoutException ex) {
        throw new TopicAdminException(
            "creating topic " + e.getKey() + " took longer than " + timeout, ex);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new TopicAdminException("interrupted while creating " + e.getKey(), ex);
      }
    }
    awaitWritable(outcomes.keySet());
    return outcomes;
  }

  /**
   * Waits until {@code listOffsets(latest)} answers for every partition of the topics.
   *
   * @throws TopicAdminException on timeout
   */
  public void awaitWritable(Set<String> topicNames) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Throwable last = null;
    while (System.nanoTime() < deadline) {
      try {
        Map<String, TopicDescription> descriptions =
            admin
                .describeTopics(topicNames)
                .allTopicNames()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> query = new HashMap<>();
        descriptions.forEach(
            (name, d) ->
                d.partitions()
                    .forEach(
                        p ->
                            query.put(
                                new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        admin.listOffsets(query).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException | TimeoutException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TopicAdminException("interrupted while waiting for topics", e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TopicAdminException("interrupted while waiting for topics", e);
      }
    }
    throw new TopicAdminException("topics " + topicNames + " not writable after " + timeout, last);
  }

  /** Options; {@link Admin} required. */
  public static final class Builder {
    private final Admin admin;
    private Integer partitions;
    private Short replicationFactor;
    private final Map<String, Map<String, String>> configOverrides = new HashMap<>();
    private Duration timeout = Duration.ofSeconds(60);

    private Builder(Admin admin) {
      this.admin = java.util.Objects.requireNonNull(admin, "admin");
    }

    /** Partitions for every topic; default: each topic's registry default. */
    public Builder optPartitions(int partitions) {
      if (partitions < 1) {
        throw new IllegalArgumentException("partitions must be >= 1");
      }
      this.partitions = partitions;
      return this;
    }

    /** Replication factor; default: the cluster's {@code default.replication.factor}. */
    public Builder optReplicationFactor(short replicationFactor) {
      if (replicationFactor < 1) {
        throw new IllegalArgumentException("replication factor must be >= 1");
      }
      this.replicationFactor = replicationFactor;
      return this;
    }

    /** A topic config applied over the registry default of one topic. */
    public Builder optTopicConfig(String topic, String key, String value) {
      configOverrides.computeIfAbsent(topic, k -> new HashMap<>()).put(key, value);
      return this;
    }

    /** Bound of each wait; default 60 s. */
    public Builder optTimeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public TopicCreator build() {
      return new TopicCreator(this);
    }
  }
}
