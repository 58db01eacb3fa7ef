package dev.flotilla.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * fabric8's CRUD mock API server taught server-side apply, which it otherwise answers with 415: an
 * apply creates the object or merges it into the stored one (JSON merge patch), and the dispatcher
 * records which field manager set each field. A field set by another manager to another value is
 * a conflict (409, worded as a real API server words it) unless the apply forces. Also a small
 * simulated controller (a dry run, {@code dryRun=All}, checks conflicts and stores nothing). Also a small
 * simulated controller: CRDs become established after a number of reads, and tests can set the
 * status of any object or make the server refuse an apply.
 */
public final class ServerSideApplyDispatcher extends KubernetesCrudDispatcher {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<Request> timed = new CopyOnWriteArrayList<>();
  /** Object path → field path (dotted) → field manager. */
  private final Map<String, Map<String, String>> owners = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> crdReads = new ConcurrentHashMap<>();
  private volatile int crdEstablishedAfterReads = 1;
  private volatile Predicate<String> refuse = p -> false;
  private volatile String refusal = "";
  private volatile String refusedField = "";
  private volatile boolean removeLeftOut = false;

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    requests.add(request.getMethod() + " " + request.getPath());
    timed.add(new Request(java.time.Instant.now(), request.getMethod(), request.getPath()));
    if ("GET".equals(request.getMethod())) simulateCrdController(request.getPath());
    return super.dispatch(request);
  }

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    String contentType = request.getHeader("Content-Type");
    if (contentType == null || !contentType.startsWith("application/apply-patch")) return super.handlePatch(request);
    String path = request.getPath();
    String objectPath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    String query = path.contains("?") ? path.substring(path.indexOf('?') + 1) : "";
    String manager = queryParam(query, "fieldManager");
    if (manager == null) return status(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value", List.of());
    boolean force = "true".equals(queryParam(query, "force"));
    if (refuse.test(objectPath)) {
      return status(422, "Invalid", refusal, List.of(Map.of("type", "FieldValueRequired", "message", "Required value", "field", refusedField)));
    }

    Map<String, Object> body = read(request.getUtf8Body());
    MockResponse live = super.handleGet(objectPath);
    Map<String, Object> current = live.code() == 200 ? read(live.getBody().readUtf8()) : Map.of();
    Map<String, String> fieldOwners = owners.computeIfAbsent(objectPath, k -> new ConcurrentHashMap<>());
    Map<String, Object> leaves = new LinkedHashMap<>();
    flatten("", body, leaves);
    Map<String, Object> liveLeaves = new LinkedHashMap<>();
    flatten("", current, liveLeaves);
    List<String> conflicts = new ArrayList<>();
    leaves.forEach((field, value) -> {
      String owner = fieldOwners.get(field);
      if (owner != null && !owner.equals(manager) && !Objects.equals(liveLeaves.get(field), value)) {
        conflicts.add(field);
      }
    });
    if (!conflicts.isEmpty() && !force) return conflict(conflicts, fieldOwners, String.valueOf(body.get("apiVersion")));
    if ("All".equals(queryParam(query, "dryRun"))) {
      // A dry run answers what would be stored and stores nothing (approximated: the applied body).
      return new MockResponse().setResponseCode(200).setBody(write(body));
    }

    MockResponse answer = live.code() == 404
        ? super.handleCreate(new RecordedRequest("POST " + collectionPath(objectPath) + " HTTP/1.1", HttpMethod.POST,
            collectionPath(objectPath), json(), new Buffer().writeUtf8(write(body))))
        // An update of the object merged as server-side apply would (lists applied replace the live
        // ones): the CRUD mock's own merge patch appends to lists, so a second apply of the same
        // Deployment would end with its containers twice.
        : super.handleUpdate(new RecordedRequest("PUT " + objectPath + " HTTP/1.1", HttpMethod.PUT, objectPath,
            json(), new Buffer().writeUtf8(write(withoutLeftOut(applied(current, body), leftOut(fieldOwners, manager, leaves))))));
    if (answer.code() < 300) {
      leftOut(fieldOwners, manager, leaves).forEach(fieldOwners::remove);
      leaves.keySet().forEach(field -> fieldOwners.put(field, manager));
      if (answer.code() == 201) answer.setResponseCode(200);
    }
    return answer;
  }

  /**
   * From now on, an apply removes the fields its field manager set before and leaves out now, as a
   * real API server does (a Service applied without a selector label it had loses it). Off by
   * default: the tests written before it rely on the merge alone.
   */
  public void removeFieldsLeftOut() {
    removeLeftOut = true;
  }

  /** The fields {@code manager} alone set before and {@code leaves} (its new apply) leaves out; none unless asked for. */
  private List<String> leftOut(Map<String, String> fieldOwners, String manager, Map<String, Object> leaves) {
    if (!removeLeftOut) return List.of();
    List<String> out = new ArrayList<>();
    fieldOwners.forEach((field, owner) -> {
      if (owner.equals(manager) && !leaves.containsKey(field)) out.add(field);
    });
    return out;
  }

  /** {@code object} without the leaves at {@code fields} (dotted as {@link #flatten} writes them). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> withoutLeftOut(Map<String, Object> object, List<String> fields) {
    if (fields.isEmpty()) return object;
    Map<String, Object> out = new LinkedHashMap<>();
    object.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> m ? withoutLeftOut("" + k, (Map<String, Object>) m, fields) : v));
    fields.forEach(out::remove);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> withoutLeftOut(String prefix, Map<String, Object> node, List<String> fields) {
    Map<String, Object> out = new LinkedHashMap<>();
    node.forEach((k, v) -> {
      String path = prefix + "." + k;
      if (fields.contains(path)) return;
      out.put(k, v instanceof Map<?, ?> m ? withoutLeftOut(path, (Map<String, Object>) m, fields) : v);
    });
    return out;
  }

  /** {@code body} applied over {@code live}: maps merged key by key, everything else (lists included) replaced. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> applied(Map<String, Object> live, Map<String, Object> body) {
    Map<String, Object> out = new LinkedHashMap<>(live);
    body.forEach((k, v) -> {
      Object before = out.get(k);
      out.put(k, v instanceof Map<?, ?> m && before instanceof Map<?, ?> b
          ? applied((Map<String, Object>) b, (Map<String, Object>) m) : v);
    });
    return out;
  }

  /** Every request as {@code METHOD path?query}, in arrival order. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  /** One request as it arrived: when (the test machine's clock), the method and the path with its query. */
  public record Request(java.time.Instant at, String method, String path) {
    /** The path without its query: the object's (or collection's) path. */
    public String objectPath() {
      int q = path.indexOf('?');
      return q < 0 ? path : path.substring(0, q);
    }

    /** A server-side apply (a PATCH naming a field manager), dry runs included. */
    public boolean isApply() {
      return method.equals("PATCH") && path.contains("fieldManager=");
    }
  }

  /** Every request with its arrival time, in arrival order. */
  public List<Request> timedRequests() {
    return List.copyOf(timed);
  }

  /** The field manager that last set {@code field} (dotted, like {@code spec.replicas}) of the object at {@code objectPath}. */
  public String managerOf(String objectPath, String field) {
    return owners.getOrDefault(objectPath, Map.of()).get(field);
  }

  /** A CRD becomes established on the n-th read of it; {@link Integer#MAX_VALUE} for never. */
  public void establishCrdsAfterReads(int reads) {
    this.crdEstablishedAfterReads = reads;
  }

  /** Applies to paths matching {@code paths} are refused with 422, {@code message} (the server's words) and the field. */
  public void refuseApplies(Predicate<String> paths, String message, String field) {
    this.refusal = message;
    this.refusedField = field;
    this.refuse = paths;
  }

  /** What a controller would do: merges {@code status} (YAML) into the stored object. */
  public void setStatus(String objectPath, String statusYaml) {
    Map<String, Object> patch = Map.of("status", TestYaml.read(statusYaml));
    MockResponse r = super.handlePatch(new RecordedRequest("PATCH " + objectPath + " HTTP/1.1", HttpMethod.PATCH, objectPath,
        mergePatch(), new Buffer().writeUtf8(write(patch))));
    if (r.code() >= 300) throw new IllegalStateException("status of " + objectPath + " not set: HTTP " + r.code());
  }

  private void simulateCrdController(String path) {
    String prefix = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/";
    if (!path.startsWith(prefix) || path.contains("?")) return;
    int reads = crdReads.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
    if (reads >= crdEstablishedAfterReads && super.handleGet(path).code() == 200) {
      setStatus(path, "conditions: [{type: NamesAccepted, status: 'True'}, {type: Established, status: 'True'}]");
    }
  }

  private static MockResponse conflict(List<String> fields, Map<String, String> fieldOwners, String apiVersion) {
    List<Map<String, Object>> causes = new ArrayList<>();
    for (String f : fields) {
      causes.add(Map.of("type", "FieldManagerConflict", "message",
          "conflict with \"" + fieldOwners.get(f) + "\" using " + apiVersion, "field", "." + f));
    }
    String message = fields.size() == 1
        ? "Apply failed with 1 conflict: conflict with \"" + fieldOwners.get(fields.get(0)) + "\" using " + apiVersion + ": ." + fields.get(0)
        : "Apply failed with " + fields.size() + " conflicts: " + String.join("\n", fields.stream()
            .map(f -> "conflict with \"" + fieldOwners.get(f) + "\" using " + apiVersion + ": ." + f).toList());
    return status(409, "Conflict", message, causes);
  }

  private static MockResponse status(int code, String reason, String message, List<Map<String, Object>> causes) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", reason);
    if (!causes.isEmpty()) status.put("details", Map.of("causes", causes));
    status.put("code", code);
    return new MockResponse().setResponseCode(code).setBody(write(status));
  }

  /** Leaf fields as dotted paths; lists are leaves (a real server merges some of them by key, this one replaces). */
  private static void flatten(String prefix, Map<?, ?> node, Map<String, Object> into) {
    node.forEach((k, v) -> {
      String path = prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k;
      if (path.equals("status") || path.startsWith("metadata.managedFields") || path.equals("apiVersion") || path.equals("kind")
          || path.equals("metadata.name") || path.equals("metadata.namespace")) {
        return;
      }
      if (v instanceof Map<?, ?> m && !m.isEmpty()) flatten(path, m, into);
      else into.put(path, v);
    });
  }

  private static String collectionPath(String objectPath) {
    return objectPath.substring(0, objectPath.lastIndexOf('/'));
  }

  private static String queryParam(String query, String name) {
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) return pair.substring(eq + 1);
    }
    return null;
  }

  private static Headers json() {
    return Headers.builder().add("Content-Type", "application/json").build();
  }

  private static Headers mergePatch() {
    return Headers.builder().add("Content-Type", "application/merge-patch+json").build();
  }

  private static Map<String, Object> read(String json) {
    return TestYaml.read(json);
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** YAML (and so JSON) to maps. */
  static final class TestYaml {
    private static final com.fasterxml.jackson.dataformat.yaml.YAMLMapper YAML = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();

    static Map<String, Object> read(String yaml) {
      try {
        return YAML.readValue(yaml, new TypeReference<LinkedHashMap<String, Object>>() {});
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
