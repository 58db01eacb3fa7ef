package dev.flotilla.delivery.pull;

import dev.flotilla.bundle.Bundle;
import dev.flotilla.bundle.BundleBuilder;
import dev.flotilla.bundle.BundleContent;
import dev.flotilla.bundle.BundleException;
import dev.flotilla.bundle.BundleFiles;
import dev.flotilla.bundle.Limits;
import dev.flotilla.bundle.SecretSealer;
import dev.flotilla.bundle.Signer;
import dev.flotilla.bundle.SigningKey;
import dev.flotilla.bundle.SitePublicKey;
import dev.flotilla.delivery.Delivery;
import dev.flotilla.delivery.DeliveryException;
import dev.flotilla.delivery.SiteRelease;
import dev.flotilla.delivery.SiteReport;
import dev.flotilla.engine.port.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pull delivery: {@link #deliver} publishes a signed bundle of the release for its site, under the
 * next sequence of that (site, app), and makes it the site's target; the agent fetches it whenever
 * it next reaches the engine. A site that is offline is not a failure: the bundle waits for it. The
 * sequence comes from the database and only grows, so a rollback is a new, higher sequence pointing
 * to an older revision. {@link #statuses} answers with what the agents last reported.
 */
public final class BundlePublisher implements Delivery {
  private static final Logger LOG = LoggerFactory.getLogger(BundlePublisher.class);
  /** Default validity of a bundle: how long an agent may still install it after it was issued. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(30);
  private static final int ATTEMPTS = 5;

  private final PullTargets targets;
  private final BundleStore store;
  private final AgentReports reports;
  private final BundleBuilder builder;
  private final SecretSealer sealer;
  private final SiteKeys siteKeys;
  private final TargetWatch watch;
  private final Clock clock;
  private final Duration validity;

  public BundlePublisher(PullTargets targets, BundleStore store, AgentReports reports, Signer signer, SecretSealer sealer,
      SiteKeys siteKeys, TargetWatch watch, Clock clock, Duration validity) {
    this.targets = targets;
    this.store = store;
    this.reports = reports;
    this.builder = new BundleBuilder(signer);
    this.sealer = sealer;
    this.siteKeys = siteKeys;
    this.watch = watch;
    this.clock = clock;
    this.validity = validity;
  }

  /** A publisher signing with {@code key}, sealing Secrets with the secret derived from it. */
  public static BundlePublisher signingWith(SigningKey key, PullTargets targets, BundleStore store, AgentReports reports,
      SiteKeys siteKeys, TargetWatch watch, Clock clock, Duration validity) {
    return new BundlePublisher(targets, store, reports, key, new SecretSealer(key.sealingSecret()), siteKeys, watch, clock, validity);
  }

  @Override
  public void deliver(SiteRelease release) throws DeliveryException {
    String site = release.site().name();
    try {
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        Optional<PullTarget> current = targets.get(site, release.app());
        if (current.isPresent() && current.get().revision().equals(release.revision())) return; // already the target
        long previous = current.map(PullTarget::sequence).orElse(0L);
        PullTarget next = publish(release, previous + 1);
        if (targets.advance(next, previous)) {
          store.dropBelow(site, release.app(), previous);
          watch.published(site);
          LOG.info("pull: published {} for site {} as sequence {} ({} bytes)", release.name(), site, next.sequence(), next.size());
          return;
        }
        // Another replica published for this (site, app) meanwhile: look again.
      }
      throw new DeliveryException(release, "the target of " + site + "/" + release.app() + " kept moving under " + ATTEMPTS + " attempts");
    } catch (StoreException e) {
      throw new DeliveryException(site, release.app(), release.revision(), "cannot publish the bundle: " + e.getMessage(), e);
    } catch (BundleException e) {
      throw new DeliveryException(site, release.app(), release.revision(), "cannot build the bundle: " + e.getMessage(), e);
    }
  }

  /** Builds, signs and stores the bundle of {@code release} as {@code sequence}; returns the target naming it. */
  private PullTarget publish(SiteRelease release, long sequence) throws BundleException, StoreException, DeliveryException {
    String site = release.site().name();
    SortedMap<String, byte[]> files = new TreeMap<>();
    files.put(release.app() + ".yaml", release.desired().yaml().getBytes(StandardCharsets.UTF_8));
    if (SecretSealer.hasSecrets(files)) {
      Optional<SitePublicKey> key = siteKeys.of(site);
      if (key.isEmpty()) {
        throw new DeliveryException(release, "the manifests hold Secrets and site " + site + " has no public key to seal them for"
            + " (flotilla keys site; the engine reads <site-keys>/" + site + ".pub)");
      }
      files = sealer.seal(site, key.get(), files);
    }
    Instant issued = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Bundle bundle = builder.build(new BundleContent(site, release.app(), release.revision(), sequence, issued, issued.plus(validity), files));
    byte[] tar = BundleFiles.toTar(bundle);
    store.put(site, release.app(), sequence, tar);
    return new PullTarget(site, release.app(), sequence, release.revision(), release.rolloutId(), etag(sequence, tar), tar.length, issued);
  }

  /**
   * Signs again, under the next sequence and a new validity, the current bundles issued before
   * {@code now - validity + margin}: an agent offline for weeks must still find a bundle it may
   * install (a statement past its {@code expiresAt} is refused, as a freeze attack would be). The
   * revision and the manifests (Secrets still sealed) stay the same; the agent installs the new
   * sequence, which changes nothing on its cluster. Returns how many were renewed; runs at most
   * {@code limit} per call. A target that moved meanwhile is left to its new bundle.
   */
  public int renewExpiring(Duration margin, int limit) throws StoreException {
    Instant now = clock.instant();
    int renewed = 0;
    for (PullTarget t : targets.publishedBefore(now.minus(validity).plus(margin), limit)) {
      Optional<byte[]> tar = store.get(t.site(), t.app(), t.sequence());
      if (tar.isEmpty()) {
        LOG.warn("pull: the bundle of {}/{} sequence {} is missing from the store; it is not renewed", t.site(), t.app(), t.sequence());
        continue;
      }
      try {
        SortedMap<String, byte[]> files = BundleFiles.manifests(tar.get(), Limits.DEFAULT);
        Instant issued = now.truncatedTo(ChronoUnit.SECONDS);
        long sequence = t.sequence() + 1;
        Bundle bundle = builder.build(new BundleContent(t.site(), t.app(), t.revision(), sequence, issued, issued.plus(validity), files));
        byte[] next = BundleFiles.toTar(bundle);
        store.put(t.site(), t.app(), sequence, next);
        PullTarget renewedTarget = new PullTarget(t.site(), t.app(), sequence, t.revision(), t.rolloutId(), etag(sequence, next), next.length, issued);
        if (!targets.advance(renewedTarget, t.sequence())) continue;
        store.dropBelow(t.site(), t.app(), t.sequence());
        watch.published(t.site());
        renewed++;
        LOG.info("pull: renewed {}/{}@{} as sequence {}, valid until {}", t.site(), t.app(), t.revision(), sequence, issued.plus(validity));
      } catch (BundleException e) {
        LOG.warn("pull: the bundle of {}/{} sequence {} cannot be read to renew it: {}", t.site(), t.app(), t.sequence(), e.getMessage());
      }
    }
    return renewed;
  }

  static String etag(long sequence, byte[] tar) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(tar);
      return sequence + "-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  @Override
  public Optional<SiteReport> status(String site, String app) {
    return statuses(app).stream().filter(r -> r.site().equals(site)).findFirst();
  }

  /** What the agents last reported for {@code app}; a hold in force is shown in the message (the site stays pending). */
  @Override
  public List<SiteReport> statuses(String app) {
    try {
      return reports.of(app).stream().map(r -> siteReport(r.site(), r.report())).toList();
    } catch (StoreException e) {
      // The port has no checked exception here; the collector runs again shortly.
      throw new IllegalStateException("read the agents' reports of " + app + ": " + e.getMessage(), e);
    }
  }

  static SiteReport siteReport(String site, AgentReport r) {
    String message = r.held() ? "on hold until " + r.holdUntil() + ": " + r.holdReason() + (r.message().isEmpty() ? "" : "; " + r.message())
        : r.message();
    return new SiteReport(site, r.app(), r.revision(), r.health(), true, r.observedAt(), message);
  }
}
