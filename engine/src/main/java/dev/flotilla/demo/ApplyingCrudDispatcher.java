package dev.flotilla.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * fabric8's CRUD mock API server as one demo site's cluster. The CRUD mock answers server-side
 * apply with 415; this dispatcher takes it as "create, or merge into the stored object" (no field
 * ownership: the demo has no other field manager), and plays the cluster's workload controllers:
 * a Deployment, StatefulSet or DaemonSet applied becomes rolled out, and a PersistentVolumeClaim
 * bound, {@code readyAfter} of demo time after its apply ({@link #settle}). An admission check
 * can be set to refuse applies whose body contains a text (the bad release's image).
 */
final class ApplyingCrudDispatcher extends KubernetesCrudDispatcher {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private final Clock clock;
  private final Duration readyAfter;
  /** Object path → when (demo time) its latest spec was applied; its controller has not acted yet. */
  private final Map<String, Instant> rolling = new ConcurrentHashMap<>();
  private final AtomicLong applies = new AtomicLong();
  private volatile String refusedText;

  ApplyingCrudDispatcher(Clock clock, Duration readyAfter) {
    this.clock = clock;
    this.readyAfter = readyAfter;
  }

  /** From now on, applies whose body contains {@code text} are refused (422), as an admission webhook would. */
  void refuseAppliesContaining(String text) {
    this.refusedText = text;
  }

  /** Server-side applies answered with success. */
  long applies() {
    return applies.get();
  }

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    String contentType = request.getHeader("Content-Type");
    if (contentType == null || !contentType.startsWith("application/apply-patch")) return super.handlePatch(request);
    String path = request.getPath();
    String objectPath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    String body = request.getUtf8Body();
    String refused = refusedText;
    if (refused != null && body.contains(refused)) {
      return status(422, "admission webhook \"images.demo.flotilla.dev\" denied the request: image " + refused
          + " failed the demo's image check");
    }
    Map<String, Object> object = read(body);
    if (path.contains("dryRun=All")) return new MockResponse().setResponseCode(200).setBody(write(object));
    MockResponse live = super.handleGet(objectPath);
    MockResponse answer = live.code() == 404
        ? super.handleCreate(request("POST", objectPath.substring(0, objectPath.lastIndexOf('/')), "application/json", object))
        : super.handlePatch(request("PATCH", objectPath, "application/merge-patch+json", object));
    if (answer.code() < 300) {
      applies.incrementAndGet();
      if (workload(objectPath)) rolling.put(objectPath, clock.instant());
      if (answer.code() == 201) answer.setResponseCode(200);
    }
    return answer;
  }

  /**
   * The controllers' turn: every workload applied at least {@code readyAfter} ago gets the status
   * of a finished rollout. Returns how many objects it changed.
   */
  int settle() {
    Instant now = clock.instant();
    int changed = 0;
    for (Map.Entry<String, Instant> e : List.copyOf(rolling.entrySet())) {
      if (e.getValue().plus(readyAfter).isAfter(now)) continue;
      if (!rolling.remove(e.getKey(), e.getValue())) continue; // applied again meanwhile: wait for that one
      MockResponse live = super.handleGet(e.getKey());
      if (live.code() != 200) continue;
      Map<String, Object> object = read(live.getBody().readUtf8());
      Map<String, Object> status = rolledOut(e.getKey(), object);
      super.handlePatch(request("PATCH", e.getKey(), "application/merge-patch+json", Map.of("status", status)));
      changed++;
    }
    return changed;
  }

  private static boolean workload(String objectPath) {
    return objectPath.contains("/deployments/") || objectPath.contains("/statefulsets/") || objectPath.contains("/daemonsets/")
        || objectPath.contains("/persistentvolumeclaims/");
  }

  /** What the kind's controller would report once its rollout is done. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> rolledOut(String objectPath, Map<String, Object> object) {
    Map<String, Object> metadata = object.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    Map<String, Object> spec = object.get("spec") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    long generation = metadata.get("generation") instanceof Number n ? n.longValue() : 1;
    long replicas = spec.get("replicas") instanceof Number n ? n.longValue() : 1;
    Map<String, Object> status = new LinkedHashMap<>();
    if (objectPath.contains("/persistentvolumeclaims/")) {
      status.put("phase", "Bound");
      return status;
    }
    status.put("observedGeneration", generation);
    if (objectPath.contains("/daemonsets/")) {
      long nodes = 3; // the demo's clusters have three nodes
      status.put("desiredNumberScheduled", nodes);
      status.put("currentNumberScheduled", nodes);
      status.put("updatedNumberScheduled", nodes);
      status.put("numberReady", nodes);
      status.put("numberAvailable", nodes);
      return status;
    }
    status.put("replicas", replicas);
    status.put("updatedReplicas", replicas);
    status.put("readyReplicas", replicas);
    status.put("availableReplicas", replicas);
    if (objectPath.contains("/statefulsets/")) {
      status.put("currentRevision", "rev-" + generation);
      status.put("updateRevision", "rev-" + generation);
    }
    return status;
  }

  private static RecordedRequest request(String method, String path, String contentType, Map<String, Object> body) {
    return new RecordedRequest(method + " " + path + " HTTP/1.1", HttpMethod.valueOf(method), path,
        Headers.builder().add("Content-Type", contentType).build(), new Buffer().writeUtf8(write(body)));
  }

  private static MockResponse status(int code, String message) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", "Invalid");
    status.put("code", code);
    return new MockResponse().setResponseCode(code).setBody(write(status));
  }

  private static Map<String, Object> read(String yamlOrJson) {
    try {
      return YAML.readValue(yamlOrJson, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not an object: " + e.getOriginalMessage(), e);
    }
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of JSON values is written", e);
    }
  }
}
