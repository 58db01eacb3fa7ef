package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** flotilla keys and flotilla bundle, offline, through the CLI's own entry point. */
class BundleCliTest {
  static final String T0 = "2026-12-07T08:00:00Z";
  static final String POS = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pos-config\n  namespace: pos\ndata:\n  STORE: paris-01\n";
  static final String SECRET = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: pos-db\n  namespace: pos\nstringData:\n  password: hunter2-but-longer\n";

  @TempDir Path dir;
  Path keys;
  Path pass;
  Path manifests;

  record Run(int exit, String out, String err) {}

  Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = Main.run(args);
      return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  /** Runs a keys command with the test passphrase and cheap key derivation. */
  Run keys(String... args) {
    List<String> all = new ArrayList<>(List.of("keys"));
    all.addAll(List.of(args));
    all.addAll(List.of("--passphrase-file", pass.toString(), "--kdf-iterations", "1000"));
    return run(all.toArray(String[]::new));
  }

  @BeforeEach
  void keyFolder() throws IOException {
    keys = dir.resolve("keys");
    pass = dir.resolve("pass.txt");
    Files.writeString(pass, "correct horse battery staple\n");
    manifests = dir.resolve("pos.yaml");
    Files.writeString(manifests, POS);
    Run r = keys("generate", "--out", keys.toString(), "--now", T0);
    assertThat(r.exit()).as(r.err()).isZero();
  }

  Path signingKey() throws IOException {
    try (Stream<Path> files = Files.list(keys)) {
      return files.filter(p -> p.getFileName().toString().matches("signing-.*\\.key")).sorted().findFirst().orElseThrow();
    }
  }

  Run build(Path key, long sequence, Path out, String... extra) {
    List<String> args = new ArrayList<>(List.of("bundle", "build", "--site", "store-paris-01", "--app", "pos", "--revision", "3f2a1c0d9e8b",
        "--sequence", Long.toString(sequence), "--manifests", manifests.toString(), "--key", key.toString(), "--issued-at", T0,
        "--out", out.toString(), "--passphrase-file", pass.toString()));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  Run verify(Path bundle, String... extra) {
    List<String> args = new ArrayList<>(List.of("bundle", "verify", "--bundle", bundle.toString(), "--trust", keys.resolve("trust.json").toString(),
        "--site", "store-paris-01"));
    args.addAll(List.of(extra));
    if (!args.contains("--now")) args.addAll(List.of("--now", "2026-12-08T00:00:00Z"));
    return run(args.toArray(String[]::new));
  }

  @Test
  void generateWritesEncryptedKeysAndATrustDocument() throws IOException {
    assertThat(keys.resolve("trust.json")).exists();
    assertThat(keys.resolve("trust/1.json")).exists();
    assertThat(keys.resolve("root-1.key")).exists();
    assertThat(Files.readString(signingKey())).contains("\"ciphertext\"", "PBKDF2-HMAC-SHA256");
    assertThat(keys("generate", "--out", keys.toString()).exit()).isEqualTo(ExitCodes.FAILED);
  }

  @Test
  void aBuiltBundleVerifiesAndPrintsItsStatement() throws IOException {
    Path b = dir.resolve("b");
    assertThat(build(signingKey(), 7, b).exit()).isZero();
    Run v = verify(b);
    assertThat(v.exit()).as(v.err()).isZero();
    assertThat(v.out()).contains("\"site\":\"store-paris-01\"", "\"sequence\":7", "\"revision\":\"3f2a1c0d9e8b\"");
  }

  @Test
  void buildingTwiceGivesTheSameBytes() throws IOException {
    assertThat(build(signingKey(), 7, dir.resolve("one.tar")).exit()).isZero();
    assertThat(build(signingKey(), 7, dir.resolve("two.tar")).exit()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("one.tar"))).isEqualTo(Files.readAllBytes(dir.resolve("two.tar")));
  }

  @Test
  void aBundleForAnotherSiteIsRejectedWithItsReason() throws IOException {
    Path b = dir.resolve("b.tar");
    build(signingKey(), 7, b);
    Run v = run("bundle", "verify", "--bundle", b.toString(), "--trust", keys.resolve("trust.json").toString(), "--site", "store-lyon-02",
        "--now", "2026-12-08T00:00:00Z");
    assertThat(v.exit()).isEqualTo(ExitCodes.INVALID);
    assertThat(v.err()).startsWith("REJECTED: wrong-site");
    assertThat(v.out()).isEmpty();
  }

  @Test
  void theInstalledSequenceOrBelowIsRejected() throws IOException {
    Path b = dir.resolve("b");
    build(signingKey(), 7, b);
    assertThat(verify(b, "--installed-sequence", "7").err()).startsWith("REJECTED: stale-sequence");
    assertThat(verify(b, "--installed-sequence", "6").exit()).isZero();
  }

  @Test
  void anExpiredStatementIsRejected() throws IOException {
    Path b = dir.resolve("b");
    build(signingKey(), 7, b, "--expires-in", "PT1H");
    Run v = verify(b);
    assertThat(v.exit()).isEqualTo(ExitCodes.INVALID);
    assertThat(v.err()).startsWith("REJECTED: expired");
  }

  @Test
  void aTamperedManifestIsRejected() throws IOException {
    Path b = dir.resolve("b");
    build(signingKey(), 7, b);
    Path m = b.resolve("manifests.tar.gz");
    byte[] bytes = Files.readAllBytes(m);
    bytes[bytes.length / 2] ^= 1;
    Files.write(m, bytes);
    assertThat(verify(b).err()).startsWith("REJECTED: digest-mismatch");
  }

  @Test
  void aMissingTrustFileFailsClosed() throws IOException {
    Path b = dir.resolve("b");
    build(signingKey(), 7, b);
    Run v = run("bundle", "verify", "--bundle", b.toString(), "--trust", dir.resolve("nope.json").toString(), "--site", "store-paris-01");
    assertThat(v.exit()).isEqualTo(ExitCodes.FAILED);
    assertThat(v.err()).startsWith("REJECTED: trust store").contains("missing");
  }

  @Test
  void afterARotationTheOldKeyWorksForTheGracePeriodOnly() throws IOException {
    Path oldKey = signingKey();
    Path old = dir.resolve("old");
    build(oldKey, 7, old, "--expires-in", "P60D");
    Run r = keys("rotate", "--dir", keys.toString(), "--grace", "7", "--now", "2026-12-07T12:00:00Z");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(run("keys", "list", "--dir", keys.toString(), "--now", "2026-12-08T00:00:00Z").out()).contains("version 2");
    assertThat(verify(old).exit()).isZero();
    assertThat(verify(old, "--now", "2026-12-20T00:00:00Z").err()).startsWith("REJECTED: expired-key");

    Path newKey;
    try (Stream<Path> files = Files.list(keys)) {
      newKey = files.filter(p -> p.getFileName().toString().matches("signing-.*\\.key") && !p.equals(oldKey)).findFirst().orElseThrow();
    }
    Path fresh = dir.resolve("fresh");
    build(newKey, 8, fresh, "--expires-in", "P60D");
    assertThat(verify(fresh, "--now", "2026-12-20T00:00:00Z").exit()).isZero();
  }

  @Test
  void aRevokedKeysBundlesAreRejected() throws IOException {
    Path b = dir.resolve("b");
    build(signingKey(), 7, b);
    String keyId = signingKey().getFileName().toString().substring("signing-".length(), "signing-".length() + 16);
    Run r = keys("revoke", "--dir", keys.toString(), "--keyid", keyId);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(verify(b).err()).startsWith("REJECTED: revoked-key");
    assertThat(run("keys", "list", "--trust", keys.resolve("trust.json").toString()).out()).contains("revoked:", keyId);
  }

  @Test
  void auditFlagsAnOverdueRotationAndPassesAfterOne() {
    Run overdue = run("keys", "audit", "--dir", keys.toString(), "--max-age", "90", "--now", "2027-04-01T00:00:00Z");
    assertThat(overdue.exit()).isEqualTo(ExitCodes.INVALID);
    assertThat(overdue.out()).contains("OVERDUE", "114 days old");
    assertThat(keys("rotate", "--dir", keys.toString(), "--now", "2027-04-01T00:00:00Z").exit()).isZero();
    Run ok = run("keys", "audit", "--dir", keys.toString(), "--max-age", "90", "--now", "2027-04-02T00:00:00Z");
    assertThat(ok.exit()).as(ok.out()).isZero();
    assertThat(ok.out()).contains("ok:", "1 days old");
  }

  @Test
  void aWrongPassphraseIsAClearFailure() throws IOException {
    Files.writeString(pass, "wrong\n");
    Run r = build(signingKey(), 7, dir.resolve("b"));
    assertThat(r.exit()).isEqualTo(ExitCodes.FAILED);
    assertThat(r.err()).contains("wrong passphrase");
  }

  @Test
  void secretsAreRefusedWithoutASiteKeyAndSealedWithOne() throws IOException {
    Files.writeString(manifests, POS + "---\n" + SECRET);
    Run refused = build(signingKey(), 7, dir.resolve("b"));
    assertThat(refused.exit()).isEqualTo(ExitCodes.INVALID);
    assertThat(refused.err()).contains("--site-key");

    assertThat(keys("site", "--site", "store-paris-01", "--out", keys.toString()).exit()).isZero();
    Path b = dir.resolve("sealed");
    Run r = build(signingKey(), 7, b, "--site-key", keys.resolve("store-paris-01.pub").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(verify(b).exit()).isZero();
    Process tar = new ProcessBuilder("tar", "-xzOf", b.resolve("manifests.tar.gz").toString()).redirectErrorStream(true).start();
    String unpacked = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(unpacked).contains("kind: ConfigMap", "sealedData").doesNotContain("hunter2");
  }
}
