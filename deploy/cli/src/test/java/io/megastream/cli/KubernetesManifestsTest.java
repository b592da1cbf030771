package io.megastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.megastream.proto.Topic;
import io.megastream.proto.Topics;
import io.megastream.proto.security.StageAcls.Stage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/k8s/base} as {@code kubectl kustomize} renders it, read into fabric8's typed
 * Kubernetes models: no field a model does not know, and the cross-references hold (probes and
 * Services to container ports, topics to the registry, KEDA to the workload and the group). Skipped
 * where kubectl is not installed (CI installs it).
 */
class KubernetesManifestsTest {

  private static final Path BASE = Path.of("..", "k8s", "base");
  private static List<HasMetadata> objects;

  @BeforeAll
  static void render() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/kubectl"))
            || Files.isExecutable(Path.of("/usr/local/bin/kubectl")),
        "kubectl not installed");
    Process p =
        new ProcessBuilder("kubectl", "kustomize", BASE.toString())
            .redirectErrorStream(true)
            .start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      in.transferTo(out);
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String yaml = out.toString(StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(yaml).isZero();
    Object parsed = Serialization.unmarshal(yaml);
    objects = new ArrayList<>();
    if (parsed instanceof List<?> l) {
      l.forEach(o -> objects.add((HasMetadata) o));
    } else {
      objects.add((HasMetadata) parsed);
    }
  }

  @Test
  void shouldHoldNoFieldTheTypedModelsDoNotKnow() throws Exception {
    for (HasMetadata o : objects) {
      if (o instanceof GenericKubernetesResource) {
        continue; // Strimzi, KEDA and Prometheus kinds: checked by the tests below
      }
      List<String> unknown = new ArrayList<>();
      walk(o, o.getKind() + "/" + o.getMetadata().getName(), unknown, new IdentityHashMap<>());
      assertThat(unknown).as("unknown fields").isEmpty();
    }
    assertThat(objects.stream().filter(o -> !(o instanceof GenericKubernetesResource)))
        .extracting(HasMetadata::getKind)
        .contains("StatefulSet", "Service", "ConfigMap", "Secret");
  }

  @Test
  void shouldProbeAndServeOnlyPortsTheContainersOpen() {
    for (StatefulSet s : of(StatefulSet.class)) {
      Set<String> ports =
          s.getSpec().getTemplate().getSpec().getContainers().stream()
              .flatMap(c -> c.getPorts().stream())
              .map(ContainerPort::getName)
              .collect(Collectors.toSet());
      for (Container c : s.getSpec().getTemplate().getSpec().getContainers()) {
        for (Probe probe :
            List.of(c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe())) {
          assertThat(probe).as("%s probes", c.getName()).isNotNull();
          assertThat(ports).contains(probe.getHttpGet().getPort().getStrVal());
          assertThat(probe.getHttpGet().getPath()).isIn("/health/live", "/health/ready");
        }
      }
      Map<String, String> labels = s.getSpec().getTemplate().getMetadata().getLabels();
      List<Service> services =
          of(Service.class).stream()
              .filter(v -> labels.entrySet().containsAll(v.getSpec().getSelector().entrySet()))
              .toList();
      assertThat(services).as("a Service selects %s", s.getMetadata().getName()).isNotEmpty();
      for (Service v : services) {
        for (ServicePort sp : v.getSpec().getPorts()) {
          assertThat(ports).contains(sp.getTargetPort().getStrVal());
        }
      }
    }
  }

  @Test
  void shouldDeclareExactlyTheRegistryTopicsAndAUserPerStage() {
    assertThat(generic("KafkaTopic"))
        .extracting(
            t -> (String) ((Map<?, ?>) t.getAdditionalProperties().get("spec")).get("topicName"))
        .containsExactlyInAnyOrderElementsOf(Topics.all().stream().map(Topic::name).toList());
    assertThat(generic("KafkaUser"))
        .extracting(u -> u.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(
            java.util.Arrays.stream(Stage.values()).map(Stage::cliName).toList());
    assertThat(generic("Kafka")).hasSize(1);
    assertThat(generic("KafkaNodePool")).hasSize(1);
  }

  @Test
  void shouldScaleTheRecoverWorkloadOnTheLagOfItsGroupOnFrames() {
    GenericKubernetesResource so = generic("ScaledObject").get(0);
    Map<?, ?> spec = (Map<?, ?>) so.getAdditionalProperties().get("spec");
    Map<?, ?> target = (Map<?, ?>) spec.get("scaleTargetRef");
    assertThat(of(StatefulSet.class))
        .extracting(s -> s.getMetadata().getName())
        .contains((String) target.get("name"));
    Map<?, ?> trigger = (Map<?, ?>) ((List<?>) spec.get("triggers")).get(0);
    Map<?, ?> md = (Map<?, ?>) trigger.get("metadata");
    assertThat(md.get("topic")).isEqualTo(Topics.FRAMES.name());
    assertThat(md.get("consumerGroup")).isEqualTo(Stage.RECOVER.defaultGroup());
    assertThat(Integer.parseInt(String.valueOf(spec.get("maxReplicaCount"))))
        .as("no more workers than frames partitions")
        .isLessThanOrEqualTo(Topics.FRAMES.spec().partitions());
  }

  private static <T> List<T> of(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static List<GenericKubernetesResource> generic(String kind) {
    return objects.stream()
        .filter(o -> o instanceof GenericKubernetesResource && o.getKind().equals(kind))
        .map(GenericKubernetesResource.class::cast)
        .toList();
  }

  /** Collects every non-empty additionalProperties of fabric8 model objects under {@code o}. */
  private static void walk(Object o, String path, List<String> unknown, Map<Object, Boolean> seen)
      throws Exception {
    if (o == null || seen.put(o, true) != null) {
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object e : c) {
        walk(e, path + "[" + i++ + "]", unknown, seen);
      }
      return;
    }
    if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0
          || !m.getName().startsWith("get")
          || m.getName().equals("getClass")) {
        continue;
      }
      Object v = m.invoke(o);
      if (m.getName().equals("getAdditionalProperties")) {
        if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
          unknown.add(path + ": " + extra.keySet());
        }
      } else {
        walk(v, path + "." + m.getName().substring(3), unknown, seen);
      }
    }
  }
}
