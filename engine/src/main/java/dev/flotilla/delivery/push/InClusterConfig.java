package dev.flotilla.delivery.push;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.OAuthTokenProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Kubernetes API of the cluster the engine runs in, found the way a pod finds it: the service
 * host and port the kubelet puts in the environment ({@code KUBERNETES_SERVICE_HOST}, {@code
 * KUBERNETES_SERVICE_PORT}), and the pod's service account folder with its {@code token}, {@code
 * ca.crt} and {@code namespace}. The token is read again for every request, as bound service
 * account tokens are rotated in place by the kubelet (about hourly).
 */
public record InClusterConfig(Path serviceAccountDir, String host, String port) {
  /** Where Kubernetes mounts a pod's service account. */
  public static final Path SERVICE_ACCOUNT_DIR = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

  /** From this process's environment and the standard service account folder. */
  public static InClusterConfig fromEnvironment() {
    return fromEnvironment(System.getenv(), SERVICE_ACCOUNT_DIR);
  }

  public static InClusterConfig fromEnvironment(Map<String, String> env, Path serviceAccountDir) {
    return new InClusterConfig(serviceAccountDir, env.get("KUBERNETES_SERVICE_HOST"), env.getOrDefault("KUBERNETES_SERVICE_PORT", "443"));
  }

  /** The client configuration for {@code site}; an {@link ApplyException} naming what is missing when the engine is not in a pod. */
  Config config(String site) throws ApplyException {
    if (host == null || host.isBlank()) {
      throw invalid(site, "KUBERNETES_SERVICE_HOST is not set: the engine does not run in a Kubernetes pod");
    }
    if (port == null || !port.matches("[0-9]{1,5}")) {
      throw invalid(site, "KUBERNETES_SERVICE_PORT is '" + port + "', not a port number");
    }
    Path token = serviceAccountDir.resolve("token");
    Path ca = serviceAccountDir.resolve("ca.crt");
    if (!Files.isReadable(token)) throw invalid(site, "no readable service account token at " + token);
    if (!Files.isReadable(ca)) throw invalid(site, "no readable service account CA certificate at " + ca);
    String shown = host.contains(":") ? "[" + host + "]" : host;
    ConfigBuilder b = new ConfigBuilder(Config.empty())
        .withMasterUrl("https://" + shown + ":" + port)
        .withCaCertFile(ca.toString())
        .withOauthTokenProvider(new TokenFile(token));
    Path namespace = serviceAccountDir.resolve("namespace");
    if (Files.isReadable(namespace)) {
      try {
        b.withNamespace(Files.readString(namespace).strip());
      } catch (IOException e) {
        throw invalid(site, "the service account namespace " + namespace + " cannot be read: " + e.getMessage());
      }
    }
    return b.build();
  }

  private static ApplyException invalid(String site, String reason) {
    return new ApplyException(site, "", "spec.cluster.inCluster", reason, ApplyException.Cause.REJECTED, null);
  }

  /** The service account token, read from its file for each request (the kubelet rotates it in place). */
  record TokenFile(Path file) implements OAuthTokenProvider {
    @Override
    public String getToken() {
      try {
        return Files.readString(file).strip();
      } catch (IOException e) {
        throw new UncheckedIOException("the service account token " + file + " cannot be read", e);
      }
    }
  }
}
