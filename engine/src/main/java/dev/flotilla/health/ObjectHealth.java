package dev.flotilla.health;

import java.util.Map;

/**
 * The health of one live Kubernetes object, decided from its spec and status alone (no I/O, no
 * clock): the same rules for the push adapter, which reads objects from the API server, and the
 * edge agent. One method per kind; kinds without a rule are healthy once applied, except custom
 * resources that report a {@code Ready} condition, which are trusted.
 */
public final class ObjectHealth {
  private ObjectHealth() {}

  /** The verdict for one object, given as the maps and lists a JSON or YAML reader makes of it. */
  public static Verdict of(Map<String, ?> object) {
    Tree o = Tree.of(object);
    String group = group(o.string("apiVersion"));
    String kind = o.string("kind");
    return switch (group + "/" + kind) {
      case "apps/Deployment" -> deployment(o);
      case "apps/StatefulSet" -> statefulSet(o);
      case "apps/DaemonSet" -> daemonSet(o);
      case "batch/Job" -> job(o);
      case "/PersistentVolumeClaim" -> persistentVolumeClaim(o);
      case "/Pod" -> pod(o);
      case "/Service" -> service(o);
      case "networking.k8s.io/Ingress" -> ingress(o);
      case "kubevirt.io/VirtualMachine" -> virtualMachine(o);
      case "apiextensions.k8s.io/CustomResourceDefinition" -> customResourceDefinition(o);
      default -> readyCondition(o);
    };
  }

  private static String group(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** True when the controller has not yet seen the latest spec: nothing in the status can be trusted. */
  private static boolean notObserved(Tree o) {
    return o.has("metadata.generation")
        && o.number("status.observedGeneration", -1) < o.number("metadata.generation", 0);
  }

  private static Verdict deployment(Tree o) {
    if (o.condition("Progressing").map(c -> "ProgressDeadlineExceeded".equals(c.string("reason"))).orElse(false)) {
      return Verdict.failed("progress deadline exceeded");
    }
    if (notObserved(o)) return Verdict.progressing("waiting for the controller to observe generation " + o.number("metadata.generation", 0));
    if (Boolean.TRUE.equals(o.get("spec.paused"))) return Verdict.healthy("paused");
    long want = o.number("spec.replicas", 1);
    long updated = o.number("status.updatedReplicas", 0);
    long total = o.number("status.replicas", 0);
    long available = o.number("status.availableReplicas", 0);
    if (updated < want) return Verdict.progressing(updated + " of " + want + " replicas updated");
    if (total > updated) return Verdict.progressing((total - updated) + " old replicas pending termination");
    if (available < updated) {
      return o.conditionIs("Available", "False")
          ? Verdict.degraded(available + " of " + want + " replicas available")
          : Verdict.progressing(available + " of " + updated + " updated replicas available");
    }
    return Verdict.healthy(available + " of " + want + " replicas available");
  }

  private static Verdict statefulSet(Tree o) {
    if (notObserved(o)) return Verdict.progressing("waiting for the controller to observe generation " + o.number("metadata.generation", 0));
    long want = o.number("spec.replicas", 1);
    long ready = o.number("status.readyReplicas", 0);
    if ("OnDelete".equals(o.string("spec.updateStrategy.type"))) {
      // Pods are replaced only when someone deletes them: there is no rollout to wait for.
      return ready < want ? Verdict.progressing(ready + " of " + want + " replicas ready") : Verdict.healthy("on-delete update strategy");
    }
    long partition = Math.max(0, o.number("spec.updateStrategy.rollingUpdate.partition", 0));
    long updated = o.number("status.updatedReplicas", 0);
    long expectUpdated = Math.max(0, want - partition);
    if (updated < expectUpdated) {
      return Verdict.progressing(updated + " of " + expectUpdated + " replicas updated"
          + (partition > 0 ? " (partition " + partition + ")" : ""));
    }
    if (ready < want) return Verdict.progressing(ready + " of " + want + " replicas ready");
    if (partition == 0 && !o.string("status.updateRevision").equals(o.string("status.currentRevision"))) {
      return Verdict.progressing("waiting for the update revision to become current");
    }
    return partition > 0
        ? Verdict.healthy("partitioned rollout: " + updated + " of " + want + " replicas updated, held at partition " + partition)
        : Verdict.healthy(ready + " of " + want + " replicas ready");
  }

  private static Verdict daemonSet(Tree o) {
    if (notObserved(o)) return Verdict.progressing("waiting for the controller to observe generation " + o.number("metadata.generation", 0));
    long want = o.number("status.desiredNumberScheduled", 0);
    long updated = o.number("status.updatedNumberScheduled", 0);
    long available = o.number("status.numberAvailable", 0);
    if (updated < want) return Verdict.progressing(updated + " of " + want + " nodes updated");
    if (available < want) return Verdict.progressing(available + " of " + want + " nodes available");
    return Verdict.healthy(available + " of " + want + " nodes available");
  }

  private static Verdict job(Tree o) {
    var failed = o.condition("Failed").filter(c -> "True".equals(c.string("status")));
    if (failed.isPresent()) return Verdict.failed("job failed: " + reasonOf(failed.get()));
    if (o.conditionIs("Complete", "True")) return Verdict.healthy("job complete");
    if (Boolean.TRUE.equals(o.get("spec.suspend"))) return Verdict.progressing("job suspended");
    return Verdict.progressing(o.number("status.succeeded", 0) + " of " + o.number("spec.completions", 1) + " completions");
  }

  private static Verdict persistentVolumeClaim(Tree o) {
    return switch (o.string("status.phase")) {
      case "Bound" -> Verdict.healthy("bound");
      case "Lost" -> Verdict.failed("volume lost");
      default -> Verdict.progressing("waiting for a volume to be bound");
    };
  }

  private static Verdict pod(Tree o) {
    String phase = o.string("status.phase");
    if ("Succeeded".equals(phase)) return Verdict.healthy("pod succeeded");
    if ("Failed".equals(phase)) return Verdict.failed("pod failed: " + o.string("status.reason"));
    for (Object s : o.list("status.containerStatuses")) {
      Tree container = Tree.of(s);
      String waiting = container.string("state.waiting.reason");
      if (waiting.equals("CrashLoopBackOff") || waiting.equals("ImagePullBackOff") || waiting.equals("ErrImagePull")
          || waiting.equals("InvalidImageName") || waiting.equals("CreateContainerConfigError")) {
        return Verdict.degraded("container " + container.string("name") + ": " + waiting);
      }
    }
    if ("Running".equals(phase) && o.conditionIs("Ready", "True")) return Verdict.healthy("pod ready");
    return Verdict.progressing("pod " + (phase.isEmpty() ? "pending" : phase.toLowerCase()) + ", not ready");
  }

  private static Verdict service(Tree o) {
    if (!"LoadBalancer".equals(o.string("spec.type"))) return Verdict.healthy("service");
    return o.list("status.loadBalancer.ingress").isEmpty()
        ? Verdict.progressing("waiting for a load balancer address")
        : Verdict.healthy("load balancer address assigned");
  }

  private static Verdict ingress(Tree o) {
    return o.list("status.loadBalancer.ingress").isEmpty()
        ? Verdict.progressing("waiting for an ingress address")
        : Verdict.healthy("ingress address assigned");
  }

  private static Verdict virtualMachine(Tree o) {
    if (Boolean.FALSE.equals(o.get("spec.running")) || "Halted".equals(o.string("spec.runStrategy"))) {
      return Verdict.healthy("stopped, as its spec asks");
    }
    if (o.conditionIs("Ready", "True")) return Verdict.healthy("virtual machine ready");
    String printable = o.string("status.printableStatus");
    return switch (printable) {
      case "CrashLoopBackOff", "ErrorUnschedulable", "ErrImagePull", "ImagePullBackOff", "ErrorPvcNotFound",
          "ErrorDataVolumeNotFound", "DataVolumeError" -> Verdict.degraded("virtual machine " + printable);
      default -> Verdict.progressing("virtual machine not ready" + (printable.isEmpty() ? "" : " (" + printable + ")"));
    };
  }

  private static Verdict customResourceDefinition(Tree o) {
    if (o.conditionIs("NamesAccepted", "False")) {
      return Verdict.failed("names not accepted: " + reasonOf(o.condition("NamesAccepted").orElseThrow()));
    }
    return o.conditionIs("Established", "True")
        ? Verdict.healthy("established")
        : Verdict.progressing("waiting to be established");
  }

  /** Custom resources following the common convention (kstatus): {@code Ready}, and {@code Stalled} for "gave up". */
  private static Verdict readyCondition(Tree o) {
    var stalled = o.condition("Stalled").filter(c -> "True".equals(c.string("status")));
    if (stalled.isPresent()) return Verdict.failed("stalled: " + reasonOf(stalled.get()));
    var ready = o.condition("Ready");
    if (ready.isEmpty()) return Verdict.healthy("applied");
    if (notObserved(o)) return Verdict.progressing("waiting for the controller to observe generation " + o.number("metadata.generation", 0));
    return switch (ready.get().string("status")) {
      case "True" -> Verdict.healthy("ready");
      case "False" -> Verdict.progressing("not ready: " + reasonOf(ready.get()));
      default -> Verdict.progressing("readiness unknown");
    };
  }

  private static String reasonOf(Tree condition) {
    String reason = condition.string("reason");
    String message = condition.string("message");
    if (message.isEmpty()) return reason.isEmpty() ? "no reason given" : reason;
    return reason.isEmpty() ? message : reason + " (" + message + ")";
  }
}
