package dev.flotilla.delivery.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** The API server's answers as a real one words them, turned into what a person reads. */
class ApiErrorsTest {
  @Test
  void conflictWithoutCausesIsReadFromTheMessage() {
    Status status = new StatusBuilder().withCode(409).withReason("Conflict")
        .withMessage("Apply failed with 2 conflicts: conflicts with \"kubectl-client-side-apply\" using apps/v1:\n"
            + "- .spec.replicas\n- .spec.template.spec.containers[name=\"web\"].image")
        .build();

    ApplyException e = ApiErrors.of("dc-1", "Deployment/shop/web", "applying it", new KubernetesClientException("x", 409, status));

    assertThat(e.cause()).isEqualTo(ApplyException.Cause.CONFLICT);
    assertThat(e.field()).isEqualTo(".spec.replicas, .spec.template.spec.containers[name=\"web\"].image");
    assertThat(e.reason()).startsWith("conflict with field manager \"kubectl-client-side-apply\" on .spec.replicas");
  }

  @Test
  void conflictCausesNameManagerAndField() {
    Status status = new StatusBuilder().withCode(409)
        .withMessage("Apply failed with 1 conflict: conflict with \"helm\" using v1: .data.a")
        .withNewDetails().addNewCause().withField(".data.a").withMessage("conflict with \"helm\" using v1").endCause().endDetails()
        .build();

    ApplyException e = ApiErrors.of("dc-1", "ConfigMap/shop/conf", "applying it", new KubernetesClientException("x", 409, status));

    assertThat(e.field()).isEqualTo(".data.a");
    assertThat(e.reason()).contains("\"helm\"");
  }

  @Test
  void invalidObjectKeepsTheServersWordsAndField() {
    Status status = new StatusBuilder().withCode(422).withReason("Invalid")
        .withMessage("Service \"svc\" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535")
        .withNewDetails().addNewCause().withField("spec.ports[0].port").endCause().endDetails()
        .build();

    ApplyException e = ApiErrors.of("dc-1", "Service/shop/svc", "applying it", new KubernetesClientException("x", 422, status));

    assertThat(e.cause()).isEqualTo(ApplyException.Cause.REJECTED);
    assertThat(e.field()).isEqualTo("spec.ports[0].port");
    assertThat(e.getMessage()).isEqualTo("site dc-1, Service/shop/svc, field spec.ports[0].port: API server refused applying it"
        + " (HTTP 422): Service \"svc\" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535");
  }

  @Test
  void forbiddenIsRejectedNotRetried() {
    Status status = new StatusBuilder().withCode(403)
        .withMessage("deployments.apps \"web\" is forbidden: User \"flotilla\" cannot patch resource \"deployments\"").build();

    ApplyException e = ApiErrors.of("dc-1", "Deployment/shop/web", "applying it", new KubernetesClientException("x", 403, status));

    assertThat(e.retryable()).isFalse();
    assertThat(e.reason()).contains("forbidden");
  }

  @Test
  void connectionFailureIsUnreachableAndRetryable() {
    var e = ApiErrors.of("dc-1", "Namespace//shop", "applying it",
        new KubernetesClientException("Operation failed", new ConnectException("Connection refused")));

    assertThat(e.cause()).isEqualTo(ApplyException.Cause.UNREACHABLE);
    assertThat(e.retryable()).isTrue();
    assertThat(e.reason()).contains("Connection refused");
  }
}
