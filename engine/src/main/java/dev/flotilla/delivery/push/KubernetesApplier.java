package dev.flotilla.delivery.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.drift.Drift;
import dev.flotilla.drift.FieldDrift;
import dev.flotilla.health.AppHealth;
import dev.flotilla.health.HealthStatus;
import dev.flotilla.health.ObjectHealth;
import dev.flotilla.health.Verdict;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one app's rendered objects to one site's cluster and reads their health back: server-side
 * apply with field manager {@value #FIELD_MANAGER}, in {@link ApplyOrder}, waiting for a CRD to be
 * established before its custom resources, then pruning what left Git by the app's {@link
 * Inventory}. Reads only the objects it applied, one GET each: no informer, no watch of a whole
 * cluster. Not thread-safe per app: one apply of an app at a site at a time (the delivery worker's
 * key).
 */
public final class KubernetesApplier {
  public static final String FIELD_MANAGER = "flotilla";
  /** Objects with this annotation set to {@code "false"} are never pruned. */
  public static final String PRUNE = "flotilla.dev/prune";
  public static final String DEFAULT_INVENTORY_NAMESPACE = "flotilla-system";
  /** The render stamps each object with its revision (SiteStamper); an in-place copy's revision is read from it. */
  static final String REVISION = "flotilla.dev/revision";

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesApplier.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String site;
  private final KubernetesClient client;
  private final ClusterInventory inventory;
  private final Pause pause;
  private final Duration pollInterval;

  public KubernetesApplier(String site, KubernetesClient client, String inventoryNamespace, Pause pause, Duration pollInterval) {
    this.site = site;
    this.client = client;
    this.inventory = new ClusterInventory(site, inventoryNamespace);
    this.pause = pause;
    this.pollInterval = pollInterval;
  }

  /**
   * Applies the objects of {@code app} (as rendered for this site) and prunes what the last apply
   * had and this one has not. On a failure part way, the inventory keeps everything applied so far
   * and everything of before, and nothing is pruned: no object is forgotten.
   *
   * @throws ApplyException naming the object and, where the API server says, the field
   */
  public ApplyResult apply(String app, List<Map<String, Object>> objects, ApplySettings settings) throws ApplyException {
    return apply(app, objects, settings, r -> false, null);
  }

  /**
   * As {@link #apply(String, List, ApplySettings)}, except that objects of the last apply matching
   * {@code keep} are neither pruned nor forgotten (the other color's copy of a blue/green app), and
   * the inventory records {@code blueGreen} (null: the app is applied in place).
   */
  ApplyResult apply(String app, List<Map<String, Object>> objects, ApplySettings settings, java.util.function.Predicate<ObjectRef> keep,
      BlueGreenState blueGreen) throws ApplyException {
    List<Map<String, Object>> ordered;
    try {
      ordered = ApplyOrder.sort(objects);
    } catch (ManifestException e) {
      throw new ApplyException(site, e.object(), e.field(), e.getMessage(), ApplyException.Cause.INVALID_MANIFEST, e);
    }
    Inventory before = inventory.read(client, app);
    if (ordered.isEmpty() && !before.isEmpty() && !settings.allowEmpty()) {
      throw new ApplyException(site, "", "", "the render of " + app + " is empty while " + before.objects().size()
          + " objects were applied before; nothing applied, nothing pruned (allowEmpty: true lets an empty render delete them)",
          ApplyException.Cause.EMPTY_RENDER, null);
    }
    List<ObjectRef> applied = applyAll(app, ordered, before, settings);
    List<ObjectRef> pruned = new ArrayList<>();
    List<ObjectRef> kept = new ArrayList<>();
    List<ObjectRef> stale = new ArrayList<>(before.notIn(applied));
    List<ObjectRef> copies = stale.stream().filter(keep).toList();
    stale.removeAll(copies);
    stale.sort(Comparator.comparingInt(KubernetesApplier::kindRank).reversed());
    Inventory now = Inventory.of(applied).plus(copies).withBlueGreen(blueGreen);
    for (int i = 0; i < stale.size(); i++) {
      ObjectRef r = stale.get(i);
      try {
        if (prune(r)) pruned.add(r);
        else kept.add(r);
      } catch (ApplyException e) {
        throw keepingInventory(app, now.plus(stale.subList(i, stale.size())), e);
      }
    }
    inventory.write(client, app, now);
    LOG.info("site {}: app {} applied {} objects, pruned {}, kept {} (prune disabled)", site, app, applied.size(), pruned.size(), kept.size());
    return new ApplyResult(applied, pruned, kept);
  }

  private List<ObjectRef> applyAll(String app, List<Map<String, Object>> ordered, Inventory before, ApplySettings settings)
      throws ApplyException {
    Map<String, String> crdByGroupKind = new HashMap<>();
    for (Map<String, Object> o : ordered) {
      crdByGroupKind.putAll(definedKinds(o));
    }
    Set<String> established = new HashSet<>();
    List<ObjectRef> applied = new ArrayList<>();
    for (Map<String, Object> o : ordered) {
      ObjectRef ref = ObjectRef.of(o);
      try {
        String crd = crdByGroupKind.get(ref.group() + "/" + ref.kind());
        if (crd != null && established.add(crd)) awaitEstablished(crd, ref, settings.crdTimeout());
        applyOne(ref, ApplyBody.of(o, settings.ignoredFields()), settings.forceConflicts());
        applied.add(ref);
      } catch (ApplyException e) {
        throw keepingInventory(app, before.plus(applied), e);
      }
    }
    return applied;
  }

  /**
   * What {@link #apply} would do, changing nothing: every object goes through the API server's
   * dry run (so validation, admission and field-manager conflicts surface as they would), then is
   * compared with the live object on the fields Flotilla applies. Custom resources of a CRD that is
   * itself still to be created cannot be dry-run; they count as created. The empty-render guard
   * holds as in an apply.
   *
   * @throws ApplyException as {@link #apply} would for the first object the server refuses
   */
  public ApplyPreview preview(String app, List<Map<String, Object>> objects, ApplySettings settings) throws ApplyException {
    return preview(app, "", objects, settings);
  }

  /**
   * As {@link #preview(String, List, ApplySettings)} for {@code revision}: for a blue/green app
   * (settings with {@code blueGreen}) the objects are compared as that revision would be applied
   * beside what the site runs (colored Deployments, Services on the active color), and the other
   * copy is not counted as deleted.
   */
  public ApplyPreview preview(String app, String revision, List<Map<String, Object>> objects, ApplySettings settings)
      throws ApplyException {
    Inventory before = inventory.read(client, app);
    java.util.function.Predicate<ObjectRef> keep = r -> false;
    if (settings.blueGreen() != null) {
      // The time only dates a rollback's scale-down in a state that a preview never records.
      BlueGreenState.InPlaceCopy found = before.blueGreen() == null ? inPlaceCopy(objects) : null;
      BlueGreenPlan.Placement p = BlueGreenPlan.place(before.blueGreen(), found, revision, java.time.Instant.EPOCH,
          settings.blueGreen(), settings.forceConflicts(), List.of());
      objects = BlueGreenPlan.colored(objects, p.workloads(), p.services());
      keep = BlueGreenApplier.kept(p);
    }
    List<Map<String, Object>> ordered;
    try {
      ordered = ApplyOrder.sort(objects);
    } catch (ManifestException e) {
      throw new ApplyException(site, e.object(), e.field(), e.getMessage(), ApplyException.Cause.INVALID_MANIFEST, e);
    }
    if (ordered.isEmpty() && !before.isEmpty() && !settings.allowEmpty()) {
      throw new ApplyException(site, "", "", "the render of " + app + " is empty while " + before.objects().size()
          + " objects were applied before; an apply would change nothing (allowEmpty: true lets an empty render delete them)",
          ApplyException.Cause.EMPTY_RENDER, null);
    }
    Map<String, String> crdByGroupKind = new HashMap<>();
    ordered.forEach(o -> crdByGroupKind.putAll(definedKinds(o)));
    Set<String> newCrds = new HashSet<>();
    List<ObjectRef> created = new ArrayList<>();
    List<ObjectRef> unchanged = new ArrayList<>();
    Map<ObjectRef, List<FieldDrift>> changed = new LinkedHashMap<>();
    List<ObjectRef> desired = new ArrayList<>();
    for (Map<String, Object> o : ordered) {
      ObjectRef ref = ObjectRef.of(o);
      desired.add(ref);
      String crd = crdByGroupKind.get(ref.group() + "/" + ref.kind());
      if (crd != null && newCrds.contains(crd)) {
        created.add(ref);
        continue;
      }
      Map<String, Object> body = ApplyBody.of(o, settings.ignoredFields());
      Optional<Map<String, Object>> live = read(ref);
      dryRunOne(ref, body, settings.forceConflicts());
      if (live.isEmpty()) {
        created.add(ref);
        if (ref.kind().equals("CustomResourceDefinition")) newCrds.add(ref.name());
      } else {
        List<FieldDrift> fields = Drift.of(body, live.get());
        if (fields.isEmpty()) unchanged.add(ref);
        else changed.put(ref, fields);
      }
    }
    List<ObjectRef> deleted = new ArrayList<>();
    List<ObjectRef> kept = new ArrayList<>();
    for (ObjectRef r : before.notIn(desired)) {
      if (keep.test(r)) continue;
      Optional<Map<String, Object>> live = read(r);
      if (live.isEmpty()) continue;
      if (pruneDisabled(live.get())) kept.add(r);
      else deleted.add(r);
    }
    return new ApplyPreview(created, changed, unchanged, deleted, kept);
  }

  private void dryRunOne(ObjectRef ref, Map<String, Object> body, boolean force) throws ApplyException {
    try {
      var apply = client.resource(toResource(body)).dryRun().fieldManager(FIELD_MANAGER);
      if (force) apply = apply.forceConflicts();
      apply.serverSideApply();
    } catch (KubernetesClientException e) {
      throw ApiErrors.of(site, ref.id(), "a dry run of applying it", e);
    }
  }

  private static boolean pruneDisabled(Map<String, Object> live) {
    Object annotations = live.get("metadata") instanceof Map<?, ?> m ? m.get("annotations") : null;
    return annotations instanceof Map<?, ?> a && "false".equals(String.valueOf(a.get(PRUNE)));
  }

  /**
   * Records what the cluster may now hold before reporting {@code failure}; if even that write
   * fails (the server went away), the failure is still the one reported, with the write's attached.
   */
  private ApplyException keepingInventory(String app, Inventory keep, ApplyException failure) {
    try {
      inventory.write(client, app, keep);
    } catch (ApplyException writeFailed) {
      failure.addSuppressed(writeFailed);
      LOG.warn("site {}: app {} inventory not updated after a failed apply: {}", site, app, writeFailed.getMessage());
    }
    return failure;
  }

  private void applyOne(ObjectRef ref, Map<String, Object> body, boolean force) throws ApplyException {
    try {
      var apply = client.resource(toResource(body)).fieldManager(FIELD_MANAGER);
      if (force) apply = apply.forceConflicts();
      apply.serverSideApply();
    } catch (KubernetesClientException e) {
      throw ApiErrors.of(site, ref.id(), "applying it", e);
    }
  }

  /** Maps {@code group/Kind} of the custom resources a CRD defines to the CRD's name. */
  private static Map<String, String> definedKinds(Map<String, Object> o) {
    ObjectRef ref = ObjectRef.of(o);
    if (!ref.kind().equals("CustomResourceDefinition")) return Map.of();
    Object spec = o.get("spec");
    if (!(spec instanceof Map<?, ?> s) || !(s.get("names") instanceof Map<?, ?> names)) return Map.of();
    return Map.of(s.get("group") + "/" + names.get("kind"), ref.name());
  }

  private void awaitEstablished(String crd, ObjectRef waiting, Duration timeout) throws ApplyException {
    ObjectRef crdRef = new ObjectRef("apiextensions.k8s.io/v1", "CustomResourceDefinition", "", crd);
    long polls = Math.max(1, timeout.toMillis() / Math.max(1, pollInterval.toMillis()));
    Verdict last = Verdict.progressing("not found");
    for (long i = 0; i < polls; i++) {
      Optional<Map<String, Object>> live = read(crdRef);
      if (live.isPresent()) {
        last = ObjectHealth.of(live.get());
        if (last.status() == HealthStatus.HEALTHY) return;
        if (last.status() == HealthStatus.FAILED) {
          throw new ApplyException(site, crdRef.id(), "", last.reason(), ApplyException.Cause.REJECTED, null);
        }
      }
      try {
        pause.pause(pollInterval);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ApplyException(site, crdRef.id(), "", "interrupted while waiting for it to be established",
            ApplyException.Cause.TIMEOUT, e);
      }
    }
    throw new ApplyException(site, crdRef.id(), "", "not established within " + timeout + " (" + last.reason() + "); "
        + waiting.id() + " and the objects after it were not applied", ApplyException.Cause.TIMEOUT, null);
  }

  /** Deletes a stale object unless it opted out; false when it was kept. Already gone counts as pruned. */
  boolean prune(ObjectRef r) throws ApplyException {
    Optional<Map<String, Object>> live = read(r);
    if (live.isEmpty()) return true;
    if (pruneDisabled(live.get())) {
      LOG.info("site {}: {} left Git and is kept ({}: \"false\")", site, r.id(), PRUNE);
      return false;
    }
    try {
      resource(r).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    } catch (KubernetesClientException e) {
      throw ApiErrors.of(site, r.id(), "pruning it", e);
    }
    LOG.info("site {}: {} left Git and was pruned", site, r.id());
    return true;
  }

  /**
   * The render's Deployments that run uncolored on the cluster (an in-place release, before the app's
   * first blue/green apply), and the revision they carry ({@code flotilla.dev/revision}; null when
   * they carry none or differ); null when none runs. One GET per rendered Deployment.
   */
  BlueGreenState.InPlaceCopy inPlaceCopy(List<Map<String, Object>> objects) throws ApplyException {
    List<ObjectRef> running = new ArrayList<>();
    Set<String> revisions = new HashSet<>();
    for (ObjectRef r : BlueGreenPlan.deployments(objects)) {
      Optional<Map<String, Object>> live = read(r);
      if (live.isEmpty()) continue;
      running.add(r);
      Object annotations = live.get().get("metadata") instanceof Map<?, ?> m ? m.get("annotations") : null;
      revisions.add(annotations instanceof Map<?, ?> a && a.get(REVISION) != null ? String.valueOf(a.get(REVISION)) : "");
    }
    if (running.isEmpty()) return null;
    String revision = revisions.size() == 1 && !revisions.contains("") ? revisions.iterator().next() : null;
    return new BlueGreenState.InPlaceCopy(revision, running, null);
  }

  /** What the last apply of {@code app} recorded on the cluster. */
  Inventory inventory(String app) throws ApplyException {
    return inventory.read(client, app);
  }

  void writeInventory(String app, Inventory recorded) throws ApplyException {
    inventory.write(client, app, recorded);
  }

  /** Applies already prepared bodies (a blue/green switch re-applies its Services), in order. */
  void applyBodies(List<Map<String, Object>> bodies, boolean force) throws ApplyException {
    for (Map<String, Object> body : bodies) applyOne(ObjectRef.of(body), body, force);
  }

  /**
   * The health of every object the last apply of {@code app} recorded in its inventory, and the
   * app's verdict (the worst). An object that is gone is degraded: someone deleted it.
   */
  public Verdict health(String app) throws ApplyException {
    return health(inventory.read(client, app).objects());
  }

  /** The health of {@code objects} (those an apply just applied: no need to read the inventory back), and the worst. */
  public Verdict health(java.util.Collection<ObjectRef> objects) throws ApplyException {
    Map<String, Verdict> byObject = new LinkedHashMap<>();
    for (ObjectRef r : objects) {
      byObject.put(r.id(), read(r).map(ObjectHealth::of).orElse(Verdict.degraded("missing from the cluster")));
    }
    return AppHealth.of(byObject);
  }

  /**
   * Which of {@code objects} (as rendered for this site) have drifted on the cluster, on the fields
   * Flotilla applies (ignored fields are left out as in an apply); a missing object drifts as a
   * whole. One GET per object; objects without drift are not in the answer.
   */
  public Map<ObjectRef, List<FieldDrift>> drift(List<Map<String, Object>> objects, ApplySettings settings) throws ApplyException {
    Map<ObjectRef, List<FieldDrift>> drifted = new LinkedHashMap<>();
    for (Map<String, Object> o : objects) {
      ObjectRef ref = ObjectRef.of(o);
      Map<String, Object> desired = ApplyBody.of(o, settings.ignoredFields());
      Optional<Map<String, Object>> live = read(ref);
      List<FieldDrift> fields = live.isEmpty()
          ? List.of(new FieldDrift("", "the object", null))
          : Drift.of(desired, live.get());
      if (!fields.isEmpty()) drifted.put(ref, fields);
    }
    return drifted;
  }

  /** The live object, empty if it does not exist. */
  Optional<Map<String, Object>> read(ObjectRef r) throws ApplyException {
    try {
      GenericKubernetesResource live = resource(r).get();
      return Optional.ofNullable(live).map(this::toMap);
    } catch (KubernetesClientException e) {
      throw ApiErrors.of(site, r.id(), "reading it", e);
    }
  }

  private Resource<GenericKubernetesResource> resource(ObjectRef r) {
    var kind = client.genericKubernetesResources(r.apiVersion(), r.kind());
    return r.namespace().isEmpty() ? kind.withName(r.name()) : kind.inNamespace(r.namespace()).withName(r.name());
  }

  private GenericKubernetesResource toResource(Map<String, Object> body) {
    try {
      return client.getKubernetesSerialization().unmarshal(JSON.writeValueAsString(body), GenericKubernetesResource.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map read from YAML cannot be written as JSON: " + e.getMessage(), e);
    }
  }

  private Map<String, Object> toMap(GenericKubernetesResource resource) {
    try {
      return JSON.readValue(client.getKubernetesSerialization().asJson(resource), new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the client's JSON of " + resource.getKind() + " cannot be read back: " + e.getMessage(), e);
    }
  }

  private static int kindRank(ObjectRef r) {
    int rank = ApplyOrder.KIND_ORDER.indexOf(r.kind());
    return rank < 0 ? ApplyOrder.KIND_ORDER.size() : rank;
  }
}
