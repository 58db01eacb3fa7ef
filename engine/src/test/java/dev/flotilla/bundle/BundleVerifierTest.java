package dev.flotilla.bundle;

import static dev.flotilla.bundle.Keys.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an agent accepts, and every attack it must refuse with a reason (issue 11's list). */
class BundleVerifierTest {
  static final String SITE = "store-paris-01";
  static final Instant NOW = T0.plusSeconds(3600);

  final BundleVerifier verifier = new BundleVerifier(Keys.trust(), Limits.DEFAULT);

  static BundleContent content(long sequence) {
    TreeMap<String, byte[]> files = new TreeMap<>();
    files.put("pos.yaml", ("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: pos\n  namespace: pos\n"
        + "spec:\n  template:\n    spec:\n      containers:\n      - image: pos-server:4.13.0\n").getBytes(StandardCharsets.UTF_8));
    return new BundleContent(SITE, "pos", "3f2a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49", sequence, T0, T0.plus(Duration.ofDays(30)), files);
  }

  static Bundle bundle(long sequence) {
    return new BundleBuilder(Keys.SIGNING).build(content(sequence));
  }

  Verification verify(Bundle b) {
    return verifier.verify(b, SITE, Installed.NONE, NOW);
  }

  static void assertRejected(Verification v, RejectReason reason) {
    assertThat(v).isInstanceOfSatisfying(Verification.Rejected.class, r -> assertThat(r.reason()).as(r.message()).isEqualTo(reason));
  }

  static Bundle withEnvelope(Bundle b, Envelope e) {
    return new Bundle(e.toJson(), b.manifestsTarGz());
  }

  static Envelope envelope(Bundle b) throws Rejection {
    return Envelope.parse(b.envelopeJson());
  }

  static Bundle signedStatement(Bundle b, String payloadType, byte[] payload, SigningKey key) {
    return new Bundle(Envelope.sign(payloadType, payload, List.of(key)).toJson(), b.manifestsTarGz());
  }

  @Test
  void acceptsAGoodBundleAndHandsOverItsManifests() {
    Verification v = verify(bundle(1));
    assertThat(v).isInstanceOfSatisfying(Verification.Accepted.class, a -> {
      assertThat(a.statement().site()).isEqualTo(SITE);
      assertThat(a.statement().sequence()).isEqualTo(1);
      assertThat(a.manifests()).containsOnlyKeys("pos.yaml");
      assertThat(new String(a.manifests().get("pos.yaml"), StandardCharsets.UTF_8)).contains("pos-server:4.13.0");
    });
  }

  @Test
  void buildingTheSameBundleTwiceGivesTheSameBytes() {
    assertThat(bundle(1)).isEqualTo(bundle(1));
  }

  @Test
  void flippedByteInTheManifestsIsRejected() {
    Bundle b = bundle(1);
    byte[] m = b.manifestsTarGz();
    m[m.length / 2] ^= 0x01;
    assertRejected(verify(new Bundle(b.envelopeJson(), m)), RejectReason.DIGEST_MISMATCH);
  }

  @Test
  void flippedByteInThePayloadIsRejected() throws Rejection {
    Envelope e = envelope(bundle(1));
    byte[] p = e.payload();
    p[10] ^= 0x01;
    assertRejected(verify(withEnvelope(bundle(1), new Envelope(e.payloadType(), p, e.signatures()))), RejectReason.BAD_SIGNATURE);
  }

  @Test
  void flippedByteInTheSignatureIsRejected() throws Rejection {
    Envelope e = envelope(bundle(1));
    byte[] sig = e.signatures().get(0).sig();
    sig[5] ^= 0x01;
    Envelope tampered = e.withSignatures(List.of(new Envelope.Signature(e.signatures().get(0).keyid(), sig)));
    assertRejected(verify(withEnvelope(bundle(1), tampered)), RejectReason.BAD_SIGNATURE);
  }

  @Test
  void statementForAnotherSiteIsRejected() {
    Verification v = verifier.verify(bundle(1), "store-lyon-02", Installed.NONE, NOW);
    assertRejected(v, RejectReason.WRONG_SITE);
  }

  @Test
  void olderSequenceIsRejectedAsRollback() {
    Verification v = verifier.verify(bundle(4), SITE, new Installed(5, "ab".repeat(32)), NOW);
    assertRejected(v, RejectReason.STALE_SEQUENCE);
  }

  @Test
  void equalSequenceWithOtherContentIsAnAttack() {
    Verification v = verifier.verify(bundle(5), SITE, new Installed(5, "ab".repeat(32)), NOW);
    assertRejected(v, RejectReason.CONFLICTING_SEQUENCE);
    assertThat(RejectReason.CONFLICTING_SEQUENCE.isAttack()).isTrue();
  }

  @Test
  void equalSequenceWithTheSameContentIsAQuietNoOp() {
    Verification first = verify(bundle(5));
    String installed = ((Verification.Accepted) first).statementSha256();
    Verification again = verifier.verify(bundle(5), SITE, new Installed(5, installed), NOW);
    assertThat(again).isInstanceOf(Verification.AlreadyInstalled.class);
  }

  @Test
  void equalSequenceIsStaleWhenOnlyTheSequenceIsKnown() {
    assertRejected(verifier.verify(bundle(5), SITE, Installed.sequenceOnly(5), NOW), RejectReason.STALE_SEQUENCE);
  }

  @Test
  void expiredStatementIsRejected() {
    assertRejected(verifier.verify(bundle(1), SITE, Installed.NONE, T0.plus(Duration.ofDays(30))), RejectReason.EXPIRED);
  }

  @Test
  void unknownKeyIsRejected() {
    Bundle b = new BundleBuilder(Keys.STRANGER).build(content(1));
    assertRejected(verify(b), RejectReason.UNKNOWN_KEY);
  }

  @Test
  void aTrustedKeyidOnAStrangersSignatureIsABadSignatureNotTrust() throws Rejection {
    Envelope e = envelope(new BundleBuilder(Keys.STRANGER).build(content(1)));
    Envelope lying = e.withSignatures(List.of(new Envelope.Signature(Keys.SIGNING.keyId(), e.signatures().get(0).sig())));
    assertRejected(verify(withEnvelope(bundle(1), lying)), RejectReason.BAD_SIGNATURE);
  }

  @Test
  void theKeyidIsOnlyAHintAWrongOneDoesNotStopAGoodSignature() throws Rejection {
    Envelope e = envelope(bundle(1));
    Envelope unnamed = e.withSignatures(List.of(new Envelope.Signature("", e.signatures().get(0).sig())));
    assertThat(verify(withEnvelope(bundle(1), unnamed))).isInstanceOf(Verification.Accepted.class);
  }

  @Test
  void revokedKeyIsRejected() {
    BundleVerifier v = new BundleVerifier(Keys.trust().withRevoked(Keys.SIGNING.keyId()), Limits.DEFAULT);
    assertRejected(v.verify(bundle(1), SITE, Installed.NONE, NOW), RejectReason.REVOKED_KEY);
  }

  @Test
  void revokedKeyStillListedAsSigningKeyIsRejected() {
    TrustDocument t = Keys.trust();
    TrustDocument revokedButListed = new TrustDocument(2, 1, t.roots(), t.signingKeys(), Set.of(Keys.SIGNING.keyId()));
    BundleVerifier v = new BundleVerifier(revokedButListed, Limits.DEFAULT);
    assertRejected(v.verify(bundle(1), SITE, Installed.NONE, NOW), RejectReason.REVOKED_KEY);
  }

  @Test
  void expiredKeyIsRejected() {
    assertRejected(verifier.verify(bundle(1), SITE, Installed.NONE, T0.plus(Duration.ofDays(366))), RejectReason.EXPIRED_KEY);
  }

  @Test
  void aRootKeyCannotSignBundles() {
    assertRejected(verify(new BundleBuilder(Keys.ROOT_A).build(content(1))), RejectReason.UNKNOWN_KEY);
  }

  @Test
  void truncatedDownloadIsRejected(@TempDir Path dir) throws Exception {
    Path tar = dir.resolve("b.tar");
    BundleFiles.write(bundle(1), tar);
    byte[] all = Files.readAllBytes(tar);
    Files.write(tar, Arrays.copyOf(all, all.length - 2000));
    assertRejected(verifier.verify(tar, SITE, Installed.NONE, NOW), RejectReason.TRUNCATED);
  }

  @Test
  void truncatedManifestsInAFolderAreRejected(@TempDir Path dir) throws Exception {
    Path folder = dir.resolve("b");
    BundleFiles.write(bundle(1), folder);
    Path m = folder.resolve(Bundle.MANIFESTS_FILE);
    byte[] all = Files.readAllBytes(m);
    Files.write(m, Arrays.copyOf(all, all.length - 10));
    assertRejected(verifier.verify(folder, SITE, Installed.NONE, NOW), RejectReason.DIGEST_MISMATCH);
  }

  @Test
  void oversizedBundleIsRejectedBeforeItIsRead(@TempDir Path dir) throws Exception {
    Path folder = dir.resolve("b");
    BundleFiles.write(bundle(1), folder);
    BundleVerifier small = new BundleVerifier(Keys.trust(), new Limits(1 << 20, 100, 1 << 20, 10));
    assertRejected(small.verify(folder, SITE, Installed.NONE, NOW), RejectReason.TOO_LARGE);
    assertRejected(small.verify(bundle(1), SITE, Installed.NONE, NOW), RejectReason.TOO_LARGE);
  }

  @Test
  void oversizedUnpackedManifestsAreRejected() {
    BundleVerifier small = new BundleVerifier(Keys.trust(), new Limits(1 << 20, 1 << 20, 50, 10));
    assertRejected(small.verify(bundle(1), SITE, Installed.NONE, NOW), RejectReason.TOO_LARGE);
  }

  @Test
  void malformedEnvelopeJsonIsRejected() {
    Bundle b = bundle(1);
    assertRejected(verify(new Bundle("{\"payload\": ".getBytes(StandardCharsets.UTF_8), b.manifestsTarGz())), RejectReason.MALFORMED);
  }

  @Test
  void anEnvelopeWithTooManySignaturesIsRejectedBeforeAnyIsTried() throws Rejection {
    Envelope e = envelope(bundle(1));
    List<Envelope.Signature> many = java.util.Collections.nCopies(17, e.signatures().get(0));
    assertRejected(verify(withEnvelope(bundle(1), e.withSignatures(many))), RejectReason.MALFORMED);
  }

  @Test
  void duplicateKeysInTheEnvelopeAreRejected() {
    String json = new String(bundle(1).envelopeJson(), StandardCharsets.UTF_8).replaceFirst("\\{", "{\"payloadType\": \"x\",");
    assertRejected(verify(new Bundle(json.getBytes(StandardCharsets.UTF_8), bundle(1).manifestsTarGz())), RejectReason.MALFORMED);
  }

  @Test
  void malformedStatementJsonSignedByATrustedKeyIsRejected() {
    Bundle b = signedStatement(bundle(1), Statement.PAYLOAD_TYPE, "{\"site\":\"store-paris-01\",".getBytes(StandardCharsets.UTF_8), Keys.SIGNING);
    assertRejected(verify(b), RejectReason.MALFORMED);
  }

  @Test
  void statementWithAnUnknownFieldIsRejected() {
    String json = new String(content1Statement(), StandardCharsets.UTF_8).replace("{", "{\"apply\":\"everything\",");
    assertRejected(verify(signedStatement(bundle(1), Statement.PAYLOAD_TYPE, json.getBytes(StandardCharsets.UTF_8), Keys.SIGNING)),
        RejectReason.MALFORMED);
  }

  @Test
  void wrongPayloadTypeIsRejectedEvenWhenSigned() {
    Bundle b = signedStatement(bundle(1), "application/vnd.in-toto+json", content1Statement(), Keys.SIGNING);
    assertRejected(verify(b), RejectReason.WRONG_PAYLOAD_TYPE);
  }

  @Test
  void signatureOverTheOtherPayloadTypeDoesNotCarryOver() throws Rejection {
    Envelope e = envelope(signedStatement(bundle(1), "application/vnd.in-toto+json", content1Statement(), Keys.SIGNING));
    Envelope swapped = new Envelope(Statement.PAYLOAD_TYPE, e.payload(), e.signatures());
    assertRejected(verify(withEnvelope(bundle(1), swapped)), RejectReason.BAD_SIGNATURE);
  }

  @Test
  void archiveEntryEscapingItsFolderIsRejected() {
    byte[] tar = Tar.write(new TreeMap<>(java.util.Map.of("pos.yaml", new byte[] {'a'})));
    byte[] evil = tar.clone();
    byte[] name = "../../etc/cron.d/x".getBytes(StandardCharsets.US_ASCII);
    Arrays.fill(evil, 0, 100, (byte) 0);
    System.arraycopy(name, 0, evil, 0, name.length);
    fixChecksum(evil);
    assertRejected(verify(signedManifests(gzip(evil))), RejectReason.UNSAFE_PATH);
  }

  @Test
  void archiveSymlinkIsRejected() {
    byte[] tar = Tar.write(new TreeMap<>(java.util.Map.of("pos.yaml", new byte[] {'a'})));
    tar[156] = '2';
    byte[] target = "/etc/shadow".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(target, 0, tar, 157, target.length);
    fixChecksum(tar);
    assertRejected(verify(signedManifests(gzip(tar))), RejectReason.UNSAFE_PATH);
  }

  @Test
  void absoluteArchivePathIsRejected() {
    byte[] tar = Tar.write(new TreeMap<>(java.util.Map.of("pos.yaml", new byte[] {'a'})));
    byte[] name = "/etc/passwd".getBytes(StandardCharsets.US_ASCII);
    Arrays.fill(tar, 0, 100, (byte) 0);
    System.arraycopy(name, 0, tar, 0, name.length);
    fixChecksum(tar);
    assertRejected(verify(signedManifests(gzip(tar))), RejectReason.UNSAFE_PATH);
  }

  @Test
  void aBundleTarWithAnExtraFileIsRejected() {
    Bundle b = bundle(1);
    TreeMap<String, byte[]> files = new TreeMap<>();
    files.put(Bundle.ENVELOPE_FILE, b.envelopeJson());
    files.put(Bundle.MANIFESTS_FILE, b.manifestsTarGz());
    files.put("run.sh", new byte[] {'x'});
    byte[] tar = Tar.write(files);
    assertThat(catchRejection(() -> BundleFiles.fromTar(tar, Limits.DEFAULT))).isEqualTo(RejectReason.TOO_LARGE);
  }

  @Test
  void theTarFormReadsBackAsTheSameBundle(@TempDir Path dir) throws Exception {
    Path tar = dir.resolve("b.tar");
    BundleFiles.write(bundle(1), tar);
    assertThat(BundleFiles.read(tar, Limits.DEFAULT)).isEqualTo(bundle(1));
    assertThat(verifier.verify(tar, SITE, Installed.NONE, NOW)).isInstanceOf(Verification.Accepted.class);
  }

  // --- helpers that forge what an attacker could send ---

  static byte[] content1Statement() {
    return new Statement(SITE, "pos", "3f2a1c0d9e8b", 1, T0, T0.plus(Duration.ofDays(30)), "00".repeat(32)).toJson();
  }

  /** A bundle whose statement, signed by the trusted key, vouches for these manifest bytes. */
  static Bundle signedManifests(byte[] tarGz) {
    Statement s = new Statement(SITE, "pos", "3f2a1c0d9e8b", 1, T0, T0.plus(Duration.ofDays(30)), Sha256.hex(tarGz));
    return new Bundle(Envelope.sign(Statement.PAYLOAD_TYPE, s.toJson(), List.of(Keys.SIGNING)).toJson(), tarGz);
  }

  static byte[] gzip(byte[] bytes) {
    try {
      var out = new java.io.ByteArrayOutputStream();
      try (var gz = new java.util.zip.GZIPOutputStream(out)) {
        gz.write(bytes);
      }
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void fixChecksum(byte[] tar) {
    Arrays.fill(tar, 148, 156, (byte) ' ');
    long sum = 0;
    for (int i = 0; i < 512; i++) sum += tar[i] & 0xff;
    byte[] field = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(field, 0, tar, 148, 8);
  }

  interface Step {
    void run() throws Rejection;
  }

  static RejectReason catchRejection(Step step) {
    try {
      step.run();
      return null;
    } catch (Rejection r) {
      return r.reason();
    }
  }

  @Test
  void standardAndUrlSafeBase64AreBothAccepted() throws Rejection {
    Envelope e = envelope(bundle(1));
    String json = new String(e.toJson(), StandardCharsets.UTF_8);
    String std = Base64.getEncoder().encodeToString(e.signatures().get(0).sig());
    String url = Base64.getUrlEncoder().encodeToString(e.signatures().get(0).sig());
    Bundle b = new Bundle(json.replace(std, url).getBytes(StandardCharsets.UTF_8), bundle(1).manifestsTarGz());
    assertThat(verify(b)).isInstanceOf(Verification.Accepted.class);
  }
}
