package dev.flotilla.cli;

import dev.flotilla.api.TrustRoutes;
import dev.flotilla.bundle.BundleException;
import dev.flotilla.bundle.KeyDirectory;
import dev.flotilla.bundle.KeyFile;
import dev.flotilla.bundle.SiteKey;
import dev.flotilla.bundle.TrustDocument;
import dev.flotilla.bundle.TrustStore;
import dev.flotilla.bundle.TrustedKey;
import dev.flotilla.bundle.VerifyingKey;
import dev.flotilla.delivery.pull.AcknowledgedTrust;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.store.Database;
import dev.flotilla.store.JdbcAgentReports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "keys", description = "Signing keys, root keys and trust.json for pull sites (see docs/bundle-format.md).",
    subcommands = {KeysCommand.Generate.class, KeysCommand.Rotate.class, KeysCommand.Revoke.class, KeysCommand.ListKeys.class,
        KeysCommand.Audit.class, KeysCommand.Site.class})
final class KeysCommand {

  /** The key folder, the passphrase and the clock every changing subcommand shares. */
  static final class Folder {
    @Option(names = {"--dir", "--out"}, paramLabel = "DIR", required = true, description = "The key folder.")
    Path dir;

    @Option(names = "--now", paramLabel = "TIME", description = "Act as if it were TIME (RFC 3339), for tests and air-gapped machines.")
    Instant now;

    @Mixin PassphraseOptions passphrase;

    KeyDirectory open() {
      Clock clock = now == null ? Clock.systemUTC() : Clock.fixed(now, ZoneOffset.UTC);
      return new KeyDirectory(dir, new KeyFile(new SecureRandom(), passphrase.iterations), clock, new SecureRandom());
    }
  }

  @Command(name = "generate", description = {"Creates a key folder: root keys, a signing key (both encrypted) and trust.json (version 1).",
      "Copy trust.json to each agent; keep root-*.key offline."})
  static final class Generate implements Callable<Integer> {
    @Mixin Folder folder;

    @Option(names = "--roots", paramLabel = "N", description = "Root keys (default: 1).")
    int roots = 1;

    @Option(names = "--threshold", paramLabel = "N", description = "Root keys that must sign a trust change (default: 1).")
    int threshold = 1;

    @Option(names = "--validity", paramLabel = "DAYS", description = "How long the signing key is valid (default: 365).")
    int validityDays = 365;

    @Override
    public Integer call() throws BundleException {
      TrustDocument doc = folder.open().generate(roots, threshold, Duration.ofDays(validityDays), folder.passphrase.read());
      System.out.printf("keys generated in %s: %d root key(s), threshold %d%n", folder.dir, roots, threshold);
      System.out.printf("signing key %s%n", doc.signingKeys().get(0).keyId());
      System.out.printf("trust.json version %d: %s%n", doc.version(), folder.dir.resolve("trust.json"));
      return ExitCodes.OK;
    }
  }

  @Command(name = "rotate", description = {"Adds a new signing key and shortens the others to a grace period, in a new trust.json version",
      "signed by the root keys in the folder. Publish the new version to agents before signing with the new key."})
  static final class Rotate implements Callable<Integer> {
    @Mixin Folder folder;

    @Option(names = "--grace", paramLabel = "DAYS", description = "How long the old signing keys stay valid (default: 7).")
    int graceDays = 7;

    @Option(names = "--validity", paramLabel = "DAYS", description = "How long the new signing key is valid (default: 365).")
    int validityDays = 365;

    @Override
    public Integer call() throws BundleException {
      TrustDocument doc = folder.open().rotate(Duration.ofDays(graceDays), Duration.ofDays(validityDays), folder.passphrase.read());
      TrustedKey added = doc.signingKeys().get(doc.signingKeys().size() - 1);
      System.out.printf("new signing key %s (valid until %s); trust.json version %d%n", added.keyId(), added.notAfter(), doc.version());
      return ExitCodes.OK;
    }
  }

  @Command(name = "revoke", description = "Revokes a signing key for good, in a new trust.json version signed by the root keys in the folder.")
  static final class Revoke implements Callable<Integer> {
    @Mixin Folder folder;

    @Option(names = "--keyid", paramLabel = "ID", required = true, description = "The key id, or a unique prefix of it.")
    String keyId;

    @Override
    public Integer call() throws BundleException {
      TrustDocument doc = folder.open().revoke(keyId, folder.passphrase.read());
      System.out.printf("revoked; trust.json version %d lists %d revoked key(s)%n", doc.version(), doc.revoked().size());
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", description = "Shows a trust.json: its version, root keys and threshold, signing keys with their status, revoked keys.")
  static final class ListKeys implements Callable<Integer> {
    @ArgGroup(multiplicity = "1")
    Source source;

    static final class Source {
      @Option(names = "--dir", paramLabel = "DIR", description = "A key folder.")
      Path dir;

      @Option(names = "--trust", paramLabel = "FILE", description = "A trust.json.")
      Path trust;
    }

    @Option(names = "--now", paramLabel = "TIME", description = "Status as of TIME (default: now).")
    Instant now;

    @Override
    public Integer call() throws BundleException {
      Path file = source.trust != null ? source.trust : source.dir.resolve("trust.json");
      TrustDocument doc = new TrustStore(file).load();
      Instant at = now != null ? now : Instant.now();
      System.out.printf("trust.json version %d (%s)%n", doc.version(), file);
      System.out.printf("root keys (%d of %d sign changes):%n", doc.rootThreshold(), doc.roots().size());
      for (VerifyingKey k : doc.roots()) System.out.printf("  %s%n", k.keyId());
      System.out.println("signing keys:");
      for (TrustedKey k : doc.signingKeys()) {
        System.out.printf("  %s  %-8s  %s .. %s%n", k.keyId(), status(doc, k, at), k.notBefore(), k.notAfter());
      }
      System.out.println("revoked:" + (doc.revoked().isEmpty() ? " none" : ""));
      for (String r : doc.revoked()) System.out.printf("  %s%n", r);
      return ExitCodes.OK;
    }

    private static String status(TrustDocument doc, TrustedKey k, Instant at) {
      if (doc.isRevoked(k.keyId())) return "revoked";
      if (at.isBefore(k.notBefore())) return "not-yet";
      return k.isValidAt(at) ? "valid" : "expired";
    }
  }

  @Command(name = "audit", description = {"Checks the rotation policy: the newest valid signing key must be younger than --max-age.",
      "With --engine (or the engine's database: --data-dir, --db-url) also lists, per site, the trust version its agent",
      "acknowledged, and fails when a site is more than --max-lag versions behind the folder's trust.json.",
      "Exit 0 when everything holds, 2 when a rotation is overdue, no signing key is valid, or a site lags."})
  static final class Audit implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", required = true, description = "The key folder.")
    Path dir;

    @Option(names = "--max-age", paramLabel = "DAYS", description = "Maximum age of the newest signing key (default: 90).")
    int maxAgeDays = 90;

    @Option(names = "--now", paramLabel = "TIME", description = "Audit as of TIME (default: now).")
    Instant now;

    @Option(names = "--engine", paramLabel = "URL", description = "The engine's API: read the sites' acknowledged trust versions (GET /api/v1/trust, a viewer token).")
    String engine;

    @Option(names = "--token-file", paramLabel = "FILE", description = "With --engine: file holding an API token (default: $FLOTILLA_TOKEN).")
    Path tokenFile;

    @Option(names = "--allow-insecure-http", description = "With --engine: send the token over plain http:// to a host other than loopback.")
    boolean allowInsecureHttp;

    @Option(names = "--max-lag", paramLabel = "VERSIONS",
        description = "How many trust versions a site may be behind the folder's trust.json (default: 0: every site must have acknowledged it).")
    int maxLag;

    @Mixin TokensCommand.Store store;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws BundleException, IOException, StoreException {
      if (maxLag < 0) {
        System.err.println("flotilla keys audit: --max-lag is a number of versions, 0 or more; got " + maxLag);
        return ExitCodes.INVALID;
      }
      TrustDocument doc = new TrustStore(dir.resolve("trust.json")).load();
      Instant at = now != null ? now : Instant.now();
      System.out.printf("trust.json version %d; policy: rotate signing keys every %d days%n", doc.version(), maxAgeDays);
      boolean ok = rotationHolds(doc, at);
      Optional<TrustRoutes.Acknowledged> sites = acknowledged();
      if (sites.isPresent()) ok &= sitesKeepUp(doc.version(), sites.get());
      return ok ? ExitCodes.OK : ExitCodes.INVALID;
    }

    private boolean rotationHolds(TrustDocument doc, Instant at) {
      TrustedKey newest = null;
      for (TrustedKey k : doc.signingKeys()) {
        if (doc.isRevoked(k.keyId()) || !k.isValidAt(at)) continue;
        if (newest == null || k.notBefore().isAfter(newest.notBefore())) newest = k;
      }
      if (newest == null) {
        System.out.println("FAILED: no valid signing key; run flotilla keys rotate");
        return false;
      }
      long age = Duration.between(newest.notBefore(), at).toDays();
      if (age > maxAgeDays) {
        System.out.printf("OVERDUE: the newest signing key %s is %d days old; run flotilla keys rotate%n", newest.keyId(), age);
        return false;
      }
      System.out.printf("ok: the newest signing key %s is %d days old%n", newest.keyId(), age);
      return true;
    }

    /** The sites' acknowledged versions from the engine or its database; empty when neither was named (offline audit). */
    private Optional<TrustRoutes.Acknowledged> acknowledged() throws IOException, StoreException {
      if (engine != null) {
        String token = tokenFile != null ? Files.readString(tokenFile).strip() : System.getenv(RolloutCommand.ServerOption.TOKEN_ENV);
        return Optional.of(new ApiClient(engine, token == null || token.isBlank() ? null : token.strip(), allowInsecureHttp).trust());
      }
      var parsed = spec.commandLine().getParseResult();
      if (!parsed.hasMatchedOption("--data-dir") && !parsed.hasMatchedOption("--db-url")) return Optional.empty();
      try (Database db = store.open()) {
        return Optional.of(new TrustRoutes.Acknowledged(null, null, new JdbcAgentReports(db.transactions()).trust()));
      }
    }

    private boolean sitesKeepUp(int current, TrustRoutes.Acknowledged acknowledged) {
      if (acknowledged.served() != null) {
        System.out.printf("the engine serves trust version %d%s%n", acknowledged.served(), acknowledged.served() < current
            ? "; older than trust.json: sites cannot take version " + current + " until the engine serves it (serve --trust-dir)" : "");
      } else if (engine != null) {
        System.out.println("the engine serves no trust documents (serve --trust-dir): sites keep the trust they were installed with");
      }
      if (acknowledged.problem() != null) System.out.println("the engine's trust folder: " + SafeText.of(acknowledged.problem()));
      System.out.printf("sites (trust version acknowledged; trust.json is version %d, at most %d behind allowed):%n", current, maxLag);
      int lagging = 0;
      for (AcknowledgedTrust s : acknowledged.sites()) {
        boolean behind = s.version() == null || current - s.version() > maxLag;
        if (behind) lagging++;
        String state = s.version() == null ? "never reported" : s.version() >= current ? "current" : (current - s.version()) + " behind";
        System.out.printf("  %-30s %-8s %-16s %s%s%n", SafeText.of(s.site()), s.version() == null ? "-" : "v" + s.version(),
            behind ? "LAGGING" : "ok", state + (s.since() == null ? "" : ", since " + s.since() + ", last reported " + s.reportedAt()),
            s.problem() == null ? "" : "; refused an update: " + SafeText.of(s.problem()));
      }
      if (lagging > 0) {
        System.out.printf("LAGGING: %d of %d site(s) are more than %d version(s) behind trust version %d%n", lagging,
            acknowledged.sites().size(), maxLag, current);
        return false;
      }
      System.out.printf("ok: every site (%d) is within %d version(s) of trust version %d%n", acknowledged.sites().size(), maxLag, current);
      return true;
    }
  }

  @Command(name = "site", description = {"Creates a site's X25519 key pair for secrets in its bundles: SITE.key (encrypted; it stays",
      "at the site, with the agent) and SITE.pub (for bundle build --site-key)."})
  static final class Site implements Callable<Integer> {
    @Option(names = "--site", paramLabel = "SITE", required = true)
    String site;

    @Option(names = "--out", paramLabel = "DIR", required = true)
    Path out;

    @Mixin PassphraseOptions passphrase;

    @Override
    public Integer call() throws BundleException {
      SiteKey key = SiteKey.generate(new SecureRandom());
      new KeyFile(new SecureRandom(), passphrase.iterations).writeSiteKey(out.resolve(site + ".key"), key, passphrase.read());
      KeyFile.writePublicKey(out.resolve(site + ".pub"), key.publicKey());
      System.out.printf("site key %s for %s: %s, %s%n", key.publicKey().keyId(), site, out.resolve(site + ".key"), out.resolve(site + ".pub"));
      return ExitCodes.OK;
    }
  }
}
