package dev.flotilla.health;

import static dev.flotilla.health.HealthStatus.DEGRADED;
import static dev.flotilla.health.HealthStatus.FAILED;
import static dev.flotilla.health.HealthStatus.HEALTHY;
import static dev.flotilla.health.HealthStatus.PROGRESSING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The verdict table: one row per case, the object in YAML flow style, the verdict and a word of its reason. */
class ObjectHealthTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  static Stream<Arguments> table() {
    String dep = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, generation: 2}\n";
    String sts = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: pos, generation: 3}\n";
    String ds = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, generation: 1}\n";
    String job = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\n";
    String pvc = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\n";
    String pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n";
    String svc = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n";
    String ing = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\n";
    String vm = "apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata: {name: till}\n";
    String crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\n";
    String cr = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, generation: 4}\n";
    return Stream.of(
        row("deployment all replicas updated and available", dep
            + "spec: {replicas: 3}\nstatus: {observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3}", HEALTHY, "3 of 3"),
        row("deployment spec not yet observed", dep
            + "spec: {replicas: 3}\nstatus: {observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3}", PROGRESSING, "observe generation 2"),
        row("deployment rollout half way", dep
            + "spec: {replicas: 4}\nstatus: {observedGeneration: 2, replicas: 4, updatedReplicas: 2, availableReplicas: 4}", PROGRESSING, "2 of 4 replicas updated"),
        row("deployment old replicas still running", dep
            + "spec: {replicas: 2}\nstatus: {observedGeneration: 2, replicas: 3, updatedReplicas: 2, availableReplicas: 2}", PROGRESSING, "1 old replicas"),
        row("deployment updated replicas not yet available", dep
            + "spec: {replicas: 2}\nstatus: {observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 1}", PROGRESSING, "1 of 2 updated"),
        row("deployment rolled out but replicas unavailable", dep
            + "spec: {replicas: 2}\nstatus: {observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 1,"
            + " conditions: [{type: Available, status: 'False', reason: MinimumReplicasUnavailable}]}", DEGRADED, "1 of 2 replicas available"),
        row("deployment progress deadline exceeded", dep
            + "spec: {replicas: 2}\nstatus: {observedGeneration: 2, replicas: 2, updatedReplicas: 1,"
            + " conditions: [{type: Progressing, status: 'False', reason: ProgressDeadlineExceeded}]}", FAILED, "progress deadline"),
        row("deployment without replicas field means one", dep
            + "spec: {}\nstatus: {observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1}", HEALTHY, "1 of 1"),
        row("deployment with numbers as strings", dep
            + "spec: {replicas: '2'}\nstatus: {observedGeneration: '2', replicas: '2', updatedReplicas: '2', availableReplicas: '2'}", HEALTHY, "2 of 2"),
        row("statefulset fully rolled", sts
            + "spec: {replicas: 3}\nstatus: {observedGeneration: 3, replicas: 3, readyReplicas: 3, updatedReplicas: 3,"
            + " currentRevision: pos-2, updateRevision: pos-2}", HEALTHY, "3 of 3 replicas ready"),
        row("statefulset rolling", sts
            + "spec: {replicas: 3}\nstatus: {observedGeneration: 3, replicas: 3, readyReplicas: 3, updatedReplicas: 1,"
            + " currentRevision: pos-1, updateRevision: pos-2}", PROGRESSING, "1 of 3 replicas updated"),
        row("statefulset updated but revision not yet current", sts
            + "spec: {replicas: 3}\nstatus: {observedGeneration: 3, replicas: 3, readyReplicas: 3, updatedReplicas: 3,"
            + " currentRevision: pos-1, updateRevision: pos-2}", PROGRESSING, "update revision"),
        row("statefulset partitioned rollout reached its partition", sts
            + "spec: {replicas: 5, updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 3}}}\n"
            + "status: {observedGeneration: 3, replicas: 5, readyReplicas: 5, updatedReplicas: 2, currentRevision: pos-1, updateRevision: pos-2}",
            HEALTHY, "held at partition 3"),
        row("statefulset partitioned rollout below its partition", sts
            + "spec: {replicas: 5, updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 3}}}\n"
            + "status: {observedGeneration: 3, replicas: 5, readyReplicas: 5, updatedReplicas: 1, currentRevision: pos-1, updateRevision: pos-2}",
            PROGRESSING, "1 of 2 replicas updated (partition 3)"),
        row("statefulset replicas not ready", sts
            + "spec: {replicas: 3}\nstatus: {observedGeneration: 3, replicas: 3, readyReplicas: 2, updatedReplicas: 3,"
            + " currentRevision: pos-2, updateRevision: pos-2}", PROGRESSING, "2 of 3 replicas ready"),
        row("statefulset spec not yet observed", sts
            + "spec: {replicas: 1}\nstatus: {observedGeneration: 2}", PROGRESSING, "observe generation 3"),
        row("daemonset on every node", ds
            + "status: {observedGeneration: 1, desiredNumberScheduled: 4, updatedNumberScheduled: 4, numberAvailable: 4}", HEALTHY, "4 of 4 nodes"),
        row("daemonset updating nodes", ds
            + "status: {observedGeneration: 1, desiredNumberScheduled: 4, updatedNumberScheduled: 3, numberAvailable: 4}", PROGRESSING, "3 of 4 nodes updated"),
        row("daemonset nodes unavailable", ds
            + "status: {observedGeneration: 1, desiredNumberScheduled: 4, updatedNumberScheduled: 4, numberAvailable: 2}", PROGRESSING, "2 of 4 nodes available"),
        row("job complete", job
            + "status: {succeeded: 1, conditions: [{type: Complete, status: 'True'}]}", HEALTHY, "complete"),
        row("job failed", job
            + "status: {failed: 6, conditions: [{type: Failed, status: 'True', reason: BackoffLimitExceeded, message: too many retries}]}",
            FAILED, "BackoffLimitExceeded (too many retries)"),
        row("job running", job + "spec: {completions: 2}\nstatus: {active: 1, succeeded: 1}", PROGRESSING, "1 of 2 completions"),
        row("pvc bound", pvc + "status: {phase: Bound}", HEALTHY, "bound"),
        row("pvc pending", pvc + "status: {phase: Pending}", PROGRESSING, "bound"),
        row("pvc lost", pvc + "status: {phase: Lost}", FAILED, "lost"),
        row("pod running and ready", pod + "status: {phase: Running, conditions: [{type: Ready, status: 'True'}]}", HEALTHY, "ready"),
        row("pod running not ready", pod + "status: {phase: Running, conditions: [{type: Ready, status: 'False'}]}", PROGRESSING, "not ready"),
        row("pod crash looping", pod + "status: {phase: Running, containerStatuses: [{name: app, state: {waiting: {reason: CrashLoopBackOff}}}]}",
            DEGRADED, "app: CrashLoopBackOff"),
        row("pod image cannot be pulled", pod + "status: {phase: Pending, containerStatuses: [{name: app, state: {waiting: {reason: ImagePullBackOff}}}]}",
            DEGRADED, "ImagePullBackOff"),
        row("pod succeeded", pod + "status: {phase: Succeeded}", HEALTHY, "succeeded"),
        row("pod failed", pod + "status: {phase: Failed, reason: Evicted}", FAILED, "Evicted"),
        row("service cluster ip", svc + "spec: {type: ClusterIP}", HEALTHY, "service"),
        row("service load balancer with address", svc + "spec: {type: LoadBalancer}\nstatus: {loadBalancer: {ingress: [{ip: 10.0.0.9}]}}",
            HEALTHY, "address assigned"),
        row("service load balancer waiting", svc + "spec: {type: LoadBalancer}\nstatus: {loadBalancer: {}}", PROGRESSING, "load balancer address"),
        row("ingress with address", ing + "status: {loadBalancer: {ingress: [{hostname: lb.example.com}]}}", HEALTHY, "assigned"),
        row("ingress waiting", ing + "spec: {}", PROGRESSING, "ingress address"),
        row("virtual machine ready", vm + "spec: {running: true}\nstatus: {printableStatus: Running, conditions: [{type: Ready, status: 'True'}]}",
            HEALTHY, "ready"),
        row("virtual machine starting", vm + "spec: {running: true}\nstatus: {printableStatus: Starting, conditions: [{type: Ready, status: 'False'}]}",
            PROGRESSING, "Starting"),
        row("virtual machine unschedulable", vm + "spec: {runStrategy: Always}\nstatus: {printableStatus: ErrorUnschedulable}", DEGRADED, "ErrorUnschedulable"),
        row("virtual machine stopped on purpose", vm + "spec: {runStrategy: Halted}\nstatus: {printableStatus: Stopped}", HEALTHY, "stopped"),
        row("crd established", crd + "status: {conditions: [{type: NamesAccepted, status: 'True'}, {type: Established, status: 'True'}]}",
            HEALTHY, "established"),
        row("crd not yet established", crd + "status: {conditions: [{type: NamesAccepted, status: 'True'}]}", PROGRESSING, "established"),
        row("crd names conflict", crd + "status: {conditions: [{type: NamesAccepted, status: 'False', reason: ListKindConflict}]}",
            FAILED, "ListKindConflict"),
        row("custom resource ready", cr + "status: {observedGeneration: 4, conditions: [{type: Ready, status: 'True'}]}", HEALTHY, "ready"),
        row("custom resource not ready", cr + "status: {observedGeneration: 4, conditions: [{type: Ready, status: 'False', reason: Reconciling}]}",
            PROGRESSING, "Reconciling"),
        row("custom resource ready for an old generation", cr + "status: {observedGeneration: 3, conditions: [{type: Ready, status: 'True'}]}",
            PROGRESSING, "observe generation 4"),
        row("custom resource stalled", cr + "status: {conditions: [{type: Stalled, status: 'True', message: bad spec}]}", FAILED, "bad spec"),
        row("custom resource without conditions", cr + "spec: {size: 3}", HEALTHY, "applied"),
        row("unknown kind once applied", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}", HEALTHY, "applied"));
  }

  private static Arguments row(String name, String yaml, HealthStatus status, String reasonPart) {
    return arguments(name, yaml, status, reasonPart);
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("table")
  void verdictFollowsTheTable(String name, String yaml, HealthStatus status, String reasonPart) throws Exception {
    Map<String, Object> object = YAML.readValue(yaml, new TypeReference<>() {});

    Verdict verdict = ObjectHealth.of(object);

    assertThat(verdict.status()).as(verdict.reason()).isEqualTo(status);
    assertThat(verdict.reason()).contains(reasonPart);
  }
}
