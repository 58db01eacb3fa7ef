package dev.flotilla.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppHealthTest {
  @Test
  void appIsAsBadAsItsWorstObjectAndNamesIt() {
    Map<String, Verdict> objects = new LinkedHashMap<>();
    objects.put("ConfigMap/shop/conf", Verdict.healthy("applied"));
    objects.put("Deployment/shop/web", Verdict.progressing("1 of 2 replicas updated"));
    objects.put("Job/shop/migrate", Verdict.failed("job failed: BackoffLimitExceeded"));
    objects.put("Pod/shop/p", Verdict.degraded("container app: CrashLoopBackOff"));

    assertThat(AppHealth.of(objects))
        .isEqualTo(Verdict.failed("Job/shop/migrate: job failed: BackoffLimitExceeded"));
  }

  @Test
  void degradedIsWorseThanProgressing() {
    Map<String, Verdict> objects = new LinkedHashMap<>();
    objects.put("Pod/shop/p", Verdict.degraded("crash"));
    objects.put("Deployment/shop/web", Verdict.progressing("rolling"));

    assertThat(AppHealth.of(objects).status()).isEqualTo(HealthStatus.DEGRADED);
  }

  @Test
  void appWithOnlyHealthyObjectsIsHealthy() {
    assertThat(AppHealth.of(Map.of("ConfigMap/a/b", Verdict.healthy("applied"), "Service/a/s", Verdict.healthy("service"))))
        .isEqualTo(Verdict.healthy("2 objects healthy"));
  }

  @Test
  void appWithoutObjectsIsHealthy() {
    assertThat(AppHealth.of(Map.of()).status()).isEqualTo(HealthStatus.HEALTHY);
  }
}
