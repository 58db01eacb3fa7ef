package dev.flotilla.provider.github;

import dev.flotilla.provider.ProviderToken;

/**
 * Who sends GitHub-shaped webhook deliveries, and so which headers carry the event, the delivery id
 * and the signature: GitHub itself, or Gitea and Forgejo, whose payloads match GitHub's for the
 * events Flotilla follows but whose signature is bare hex in {@code X-Gitea-Signature}.
 */
public enum WebhookSender {
  GITHUB("github", "X-GitHub-Event", "X-GitHub-Delivery", "X-Hub-Signature-256"),
  GITEA("gitea", "X-Gitea-Event", "X-Gitea-Delivery", "X-Gitea-Signature");

  private final String provider;
  private final String eventHeader;
  private final String deliveryHeader;
  private final String signatureHeader;

  WebhookSender(String provider, String eventHeader, String deliveryHeader, String signatureHeader) {
    this.provider = provider;
    this.eventHeader = eventHeader;
    this.deliveryHeader = deliveryHeader;
    this.signatureHeader = signatureHeader;
  }

  /** The name deliveries are recorded under (so a GitHub and a Gitea id never collide) and the route's last segment. */
  public String provider() {
    return provider;
  }

  public String eventHeader() {
    return eventHeader;
  }

  public String deliveryHeader() {
    return deliveryHeader;
  }

  public String signatureHeader() {
    return signatureHeader;
  }

  /** Whether {@code header} signs {@code body} under {@code secret}, compared in constant time. */
  boolean signed(ProviderToken secret, byte[] body, String header) {
    return switch (this) {
      case GITHUB -> WebhookSignature.matches(secret, body, header);
      case GITEA -> WebhookSignature.matchesBareHex(secret, body, header);
    };
  }
}
