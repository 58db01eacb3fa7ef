package dev.flotilla.cli;

import dev.flotilla.bundle.Bundle;
import dev.flotilla.bundle.BundleBuilder;
import dev.flotilla.bundle.BundleContent;
import dev.flotilla.bundle.BundleException;
import dev.flotilla.bundle.BundleFiles;
import dev.flotilla.bundle.BundleVerifier;
import dev.flotilla.bundle.Installed;
import dev.flotilla.bundle.KeyFile;
import dev.flotilla.bundle.Limits;
import dev.flotilla.bundle.ManifestFiles;
import dev.flotilla.bundle.SecretSealer;
import dev.flotilla.bundle.SigningKey;
import dev.flotilla.bundle.Statement;
import dev.flotilla.bundle.TrustDocument;
import dev.flotilla.bundle.TrustStore;
import dev.flotilla.bundle.Verification;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bundle", description = "Builds and verifies pull-site bundles offline (e.g. for removable media).",
    subcommands = {BundleCommand.Build.class, BundleCommand.Verify.class})
final class BundleCommand {

  @Command(name = "build", description = {"Signs a site's manifests into a bundle: a folder, or a .tar when --out ends in .tar.",
      "Secrets are sealed for the site (--site-key); manifests holding Secrets are refused without it."})
  static final class Build implements Callable<Integer> {
    @Option(names = "--site", required = true) String site;
    @Option(names = "--app", required = true) String app;
    @Option(names = "--revision", required = true) String revision;
    @Option(names = "--sequence", required = true, description = "Above every earlier bundle of this site and app.") long sequence;

    @Option(names = "--manifests", required = true, paramLabel = "FILE_OR_DIR", description = "A rendered YAML file (e.g. flotilla render --out), or a folder of them.")
    Path manifests;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "The encrypted signing key (signing-*.key).")
    Path key;

    @Option(names = "--site-key", paramLabel = "FILE", description = "The site's public key (keys site), to seal Secrets.")
    Path siteKey;

    @Option(names = "--issued-at", paramLabel = "TIME", description = "Default: now (to the second).")
    Instant issuedAt;

    @Option(names = "--expires-in", paramLabel = "DURATION", description = "ISO-8601 duration after issuedAt (default: P30D).")
    Duration expiresIn = Duration.ofDays(30);

    @Option(names = "--out", required = true, paramLabel = "PATH") Path out;

    @Mixin PassphraseOptions passphrase;

    @Override
    public Integer call() throws BundleException {
      SortedMap<String, byte[]> files = ManifestFiles.read(manifests);
      SigningKey signer = KeyFile.readSigningKey(key, passphrase.read());
      if (SecretSealer.hasSecrets(files)) {
        if (siteKey == null) {
          System.err.println("flotilla: " + manifests + " holds Secrets: give --site-key SITE.pub to seal them for " + site);
          return ExitCodes.INVALID;
        }
        files = new SecretSealer(signer.sealingSecret()).seal(site, KeyFile.readSitePublicKey(siteKey), files);
      }
      Instant issued = issuedAt != null ? issuedAt : Instant.now();
      Bundle bundle;
      try {
        bundle = new BundleBuilder(signer).build(new BundleContent(site, app, revision, sequence, issued, issued.plus(expiresIn), files));
      } catch (IllegalArgumentException e) {
        System.err.println("flotilla: " + e.getMessage());
        return ExitCodes.INVALID;
      }
      BundleFiles.write(bundle, out);
      System.out.printf("bundle %s (%d bytes), signed by %s%n", out, bundle.size(), signer.keyId());
      return ExitCodes.OK;
    }
  }

  @Command(name = "verify", description = {"Verifies a bundle as an agent would, offline.",
      "Exit 0 and the statement on stdout, or exit 2 and 'REJECTED: <reason>' on stderr",
      "(exit 1 when the trust file itself is missing or invalid: nothing is trusted then)."})
  static final class Verify implements Callable<Integer> {
    @Option(names = "--bundle", required = true, paramLabel = "PATH", description = "A bundle folder or .tar.") Path bundle;
    @Option(names = "--trust", required = true, paramLabel = "FILE", description = "The site's trust.json.") Path trust;
    @Option(names = "--site", required = true) String site;

    @Option(names = "--installed-sequence", paramLabel = "N", description = "Accept only a sequence above N.")
    long installedSequence;

    @Option(names = "--now", paramLabel = "TIME", description = "Check validity at TIME (default: now).")
    Instant now;

    @Override
    public Integer call() {
      Verification result;
      try {
        TrustDocument doc = new TrustStore(trust).load();
        result = new BundleVerifier(doc, Limits.DEFAULT)
            .verify(bundle, site, Installed.sequenceOnly(installedSequence), now != null ? now : Instant.now());
      } catch (BundleException e) {
        System.err.println("REJECTED: " + e.getMessage());
        return ExitCodes.FAILED;
      }
      if (result instanceof Verification.Accepted a) return printed(a.statement());
      if (result instanceof Verification.AlreadyInstalled a) return printed(a.statement());
      System.err.println("REJECTED: " + ((Verification.Rejected) result).message());
      return ExitCodes.INVALID;
    }

    private static int printed(Statement s) {
      System.out.println(new String(s.toJson(), StandardCharsets.UTF_8));
      return ExitCodes.OK;
    }
  }
}
