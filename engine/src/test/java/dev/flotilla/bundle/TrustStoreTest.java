package dev.flotilla.bundle;

import static dev.flotilla.bundle.Keys.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TUF-style chained rotation: only the next version, only with a threshold of distinct current roots; fail closed on disk. */
class TrustStoreTest {
  @TempDir Path dir;
  TrustStore store;
  final TrustDocument v1 = Keys.twoOfThree();

  @BeforeEach
  void install() throws BundleException {
    store = new TrustStore(dir.resolve("trust.json"));
    store.install(v1.sign(List.of(Keys.ROOT_A, Keys.ROOT_B)).toJson());
  }

  TrustDocument v2() {
    return v1.withSigningKey(new TrustedKey(Keys.SIGNING_2.publicKey(), T0, T0.plusSeconds(86_400)));
  }

  static void assertRejected(TrustUpdate u, RejectReason reason) {
    assertThat(u).isInstanceOfSatisfying(TrustUpdate.Rejected.class, r -> assertThat(r.reason()).as(r.message()).isEqualTo(reason));
  }

  @Test
  void nextVersionSignedByTheThresholdIsAcceptedAndKept() throws BundleException {
    TrustUpdate u = store.update(v2().sign(List.of(Keys.ROOT_B, Keys.ROOT_C)).toJson());
    assertThat(u).isInstanceOf(TrustUpdate.Accepted.class);
    assertThat(new TrustStore(store.file()).load().version()).isEqualTo(2);
    assertThat(store.load().signingKey(Keys.SIGNING_2.keyId())).isPresent();
  }

  @Test
  void updateBelowTheRootThresholdIsRejected() throws BundleException {
    assertRejected(store.update(v2().sign(List.of(Keys.ROOT_A)).toJson()), RejectReason.BELOW_THRESHOLD);
    assertThat(store.load().version()).isEqualTo(1);
  }

  @Test
  void theSameRootSigningTwiceCountsOnce() throws BundleException {
    assertRejected(store.update(v2().sign(List.of(Keys.ROOT_A, Keys.ROOT_A)).toJson()), RejectReason.BELOW_THRESHOLD);
  }

  @Test
  void aSignatureWithAnotherRootsKeyidCountsForNobodyElse() throws Rejection, BundleException {
    Envelope one = v2().sign(List.of(Keys.ROOT_A));
    Envelope.Signature a = one.signatures().get(0);
    Envelope forged = one.withSignatures(List.of(a, new Envelope.Signature(Keys.ROOT_B.keyId(), a.sig())));
    assertRejected(store.update(forged.toJson()), RejectReason.BELOW_THRESHOLD);
  }

  @Test
  void strangersSignaturesDoNotCount() throws BundleException {
    assertRejected(store.update(v2().sign(List.of(Keys.ROOT_A, Keys.STRANGER)).toJson()), RejectReason.BELOW_THRESHOLD);
  }

  @Test
  void skippingAVersionIsRejected() throws BundleException {
    TrustDocument v3 = v2().withRevoked(Keys.SIGNING.keyId());
    assertRejected(store.update(v3.sign(List.of(Keys.ROOT_A, Keys.ROOT_B)).toJson()), RejectReason.VERSION_GAP);
  }

  @Test
  void replayingTheCurrentVersionIsRejected() throws BundleException {
    assertRejected(store.update(v1.sign(List.of(Keys.ROOT_A, Keys.ROOT_B)).toJson()), RejectReason.VERSION_GAP);
  }

  @Test
  void aChainIsFollowedOneVersionAtATime() throws BundleException {
    TrustDocument v2 = v2();
    TrustDocument v3 = v2.withRevoked(Keys.SIGNING.keyId());
    TrustUpdate u = store.updateChain(List.of(v2.sign(List.of(Keys.ROOT_A, Keys.ROOT_B)).toJson(),
        v3.sign(List.of(Keys.ROOT_A, Keys.ROOT_C)).toJson()));
    assertThat(u).isInstanceOf(TrustUpdate.Accepted.class);
    assertThat(store.load().isRevoked(Keys.SIGNING.keyId())).isTrue();
  }

  @Test
  void rootRotationNeedsTheOldRootsAndTheNewOnes() throws BundleException {
    TrustDocument v2 = v1.withRoots(List.of(Keys.STRANGER.publicKey()), 1);
    assertRejected(store.update(v2.sign(List.of(Keys.STRANGER)).toJson()), RejectReason.BELOW_THRESHOLD);
    assertRejected(store.update(v2.sign(List.of(Keys.ROOT_A, Keys.ROOT_B)).toJson()), RejectReason.BELOW_THRESHOLD);
    assertThat(store.update(v2.sign(List.of(Keys.ROOT_A, Keys.ROOT_B, Keys.STRANGER)).toJson())).isInstanceOf(TrustUpdate.Accepted.class);
    TrustDocument v3 = store.load().withSigningKey(new TrustedKey(Keys.SIGNING_2.publicKey(), T0, T0.plusSeconds(60)));
    assertRejected(store.update(v3.sign(List.of(Keys.ROOT_A, Keys.ROOT_B)).toJson()), RejectReason.BELOW_THRESHOLD);
    assertThat(store.update(v3.sign(List.of(Keys.STRANGER)).toJson())).isInstanceOf(TrustUpdate.Accepted.class);
  }

  @Test
  void wrongPayloadTypeIsRejected() throws BundleException {
    Envelope e = Envelope.sign(Statement.PAYLOAD_TYPE, v2().toJson(), List.of(Keys.ROOT_A, Keys.ROOT_B));
    assertRejected(store.update(e.toJson()), RejectReason.WRONG_PAYLOAD_TYPE);
  }

  @Test
  void malformedUpdateIsRejected() throws BundleException {
    assertRejected(store.update("not json".getBytes(StandardCharsets.UTF_8)), RejectReason.MALFORMED);
  }

  @Test
  void missingStateFileFailsClosed() throws Exception {
    Files.delete(store.file());
    assertThatThrownBy(store::load).isInstanceOf(BundleException.class).hasMessageContaining("missing");
  }

  @Test
  void corruptStateFileFailsClosed() throws Exception {
    Files.writeString(store.file(), "{\"payload\":");
    assertThatThrownBy(store::load).isInstanceOf(BundleException.class).hasMessageContaining("not a valid trust document");
  }

  @Test
  void handEditedStateFileFailsClosed() throws Exception {
    String json = Files.readString(store.file());
    Envelope e = Envelope.parse(json.getBytes(StandardCharsets.UTF_8));
    TrustDocument edited = v1.withSigningKey(new TrustedKey(Keys.STRANGER.publicKey(), T0, T0.plusSeconds(60)));
    Files.write(store.file(), new Envelope(e.payloadType(), edited.toJson(), e.signatures()).toJson());
    assertThatThrownBy(store::load).isInstanceOf(BundleException.class).hasMessageContaining("below-threshold");
  }

  @Test
  void aDocumentNamingAKeyByAnotherKeysIdIsMalformed() {
    String json = new String(v1.toJson(), StandardCharsets.UTF_8).replace(Keys.SIGNING.keyId(), Keys.STRANGER.keyId());
    assertThatThrownBy(() -> TrustDocument.parse(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.reason()).isEqualTo(RejectReason.MALFORMED));
  }

  @Test
  void theDocumentRoundTrips() throws Rejection {
    TrustDocument v3 = v2().withRevoked(Keys.SIGNING.keyId());
    assertThat(TrustDocument.parse(v3.toJson())).isEqualTo(v3);
  }
}
