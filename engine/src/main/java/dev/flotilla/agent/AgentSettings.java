package dev.flotilla.agent;

import dev.flotilla.bundle.Limits;
import dev.flotilla.bundle.SiteKey;
import dev.flotilla.delivery.push.ApplySettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How an agent runs: which engine and site, its token, its trust store and state folder; how long a
 * long poll waits ({@code waitSeconds}), how it backs off while the engine is unreachable, the
 * download bounds, and the site's X25519 key for sealed Secrets (null when the site has none).
 */
public record AgentSettings(URI engine, String site, String token, Path trustFile, Path stateDir, long waitSeconds, Backoff backoff,
    EngineClient.Transfer transfer, Limits limits, SiteKey siteKey, ApplySettings apply, Duration poll) {
  public AgentSettings {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(trustFile, "trustFile");
    Objects.requireNonNull(stateDir, "stateDir");
  }

  public static AgentSettings of(URI engine, String site, String token, Path trustFile, Path stateDir) {
    return new AgentSettings(engine, site, token, trustFile, stateDir, 55, Backoff.DEFAULT, EngineClient.Transfer.DEFAULT, Limits.DEFAULT,
        null, ApplySettings.DEFAULTS, Duration.ofSeconds(30));
  }

  public AgentSettings withWait(long seconds) {
    return new AgentSettings(engine, site, token, trustFile, stateDir, seconds, backoff, transfer, limits, siteKey, apply, poll);
  }

  public AgentSettings withSiteKey(SiteKey key) {
    return new AgentSettings(engine, site, token, trustFile, stateDir, waitSeconds, backoff, transfer, limits, key, apply, poll);
  }

  public AgentSettings withBackoff(Backoff b) {
    return new AgentSettings(engine, site, token, trustFile, stateDir, waitSeconds, b, transfer, limits, siteKey, apply, poll);
  }

  public AgentSettings withEngine(URI uri) {
    return new AgentSettings(uri, site, token, trustFile, stateDir, waitSeconds, backoff, transfer, limits, siteKey, apply, poll);
  }
}
