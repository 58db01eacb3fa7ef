package dev.flotilla.cli;

import dev.flotilla.bundle.BundleException;
import dev.flotilla.bundle.KeyDirectory;
import dev.flotilla.bundle.KeyFile;
import dev.flotilla.bundle.SiteKey;
import dev.flotilla.bundle.TrustDocument;
import dev.flotilla.bundle.TrustStore;
import dev.flotilla.bundle.TrustedKey;
import dev.flotilla.bundle.VerifyingKey;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
      "Exit 0 when it holds, 2 when a rotation is overdue or no signing key is valid. (Which trust version each site has",
      "acknowledged needs the engine's site reports; it is not known offline.)"})
  static final class Audit implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", required = true, description = "The key folder.")
    Path dir;

    @Option(names = "--max-age", paramLabel = "DAYS", description = "Maximum age of the newest signing key (default: 90).")
    int maxAgeDays = 90;

    @Option(names = "--now", paramLabel = "TIME", description = "Audit as of TIME (default: now).")
    Instant now;

    @Override
    public Integer call() throws BundleException {
      TrustDocument doc = new TrustStore(dir.resolve("trust.json")).load();
      Instant at = now != null ? now : Instant.now();
      TrustedKey newest = null;
      for (TrustedKey k : doc.signingKeys()) {
        if (doc.isRevoked(k.keyId()) || !k.isValidAt(at)) continue;
        if (newest == null || k.notBefore().isAfter(newest.notBefore())) newest = k;
      }
      System.out.printf("trust.json version %d; policy: rotate signing keys every %d days%n", doc.version(), maxAgeDays);
      if (newest == null) {
        System.out.println("FAILED: no valid signing key; run flotilla keys rotate");
        return ExitCodes.INVALID;
      }
      long age = Duration.between(newest.notBefore(), at).toDays();
      if (age > maxAgeDays) {
        System.out.printf("OVERDUE: the newest signing key %s is %d days old; run flotilla keys rotate%n", newest.keyId(), age);
        return ExitCodes.INVALID;
      }
      System.out.printf("ok: the newest signing key %s is %d days old%n", newest.keyId(), age);
      return ExitCodes.OK;
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
