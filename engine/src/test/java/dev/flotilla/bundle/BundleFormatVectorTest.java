package dev.flotilla.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testing.RepoRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Base64;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The test vector of docs/bundle-format.md: a fixed key (RFC 8032's test 1), statement and
 * manifests give exactly these bytes, and the document shows exactly them.
 */
class BundleFormatVectorTest {
  static final String SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
  static final String PUBLIC_KEY_HEX = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
  static final String KEY_ID = "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9";
  static final String POS_YAML = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pos-config\n  namespace: pos\ndata:\n  STORE: paris-01\n";
  static final String MANIFESTS_BASE64 =
      "H4sIAAAAAAAA/yvIL9arTMzNYaAhMAACMxMTMA0E6LSBoYkpnA0WNzQwMzdiUDCgpaNgoLS4JLEIaD2l5qB7boiAxILMsNSi4sz8PCuFMkOu7My8FCsF5/y8tMx038QCrtzUksSUxJJEKy4FhbzE3FQrhYL8Yt1ksDxUqLggMRkizgVTGRziH+QKFEosyizWNTDkGmhPjoJRMApGwSjAAAA7mNmhAAgAAA==";
  static final String MANIFESTS_SHA256 = "97b2e571c7ebd7a21128a0e852ca57f70888c6a83d59d94891a65048972fa262";
  static final String ENVELOPE =
      "{\"payload\":\"eyJzaXRlIjoic3RvcmUtcGFyaXMtMDEiLCJhcHAiOiJwb3MiLCJyZXZpc2lvbiI6IjNmMmExYzBkOWU4YjdhNmY1ZTRkM2MyYjFhMGY5ZThkN2M2YjVhNDkiLCJzZXF1ZW5jZSI6NywiaXNzdWVkQXQiOiIyMDI2LTEyLTA3VDA4OjAwOjAwWiIsImV4cGlyZXNBdCI6IjIwMjctMDEtMDZUMDg6MDA6MDBaIiwibWFuaWZlc3RzU2hhMjU2IjoiOTdiMmU1NzFjN2ViZDdhMjExMjhhMGU4NTJjYTU3ZjcwODg4YzZhODNkNTlkOTQ4OTFhNjUwNDg5NzJmYTI2MiJ9\",\"payloadType\":\"application/vnd.flotilla.bundle.v1+json\",\"signatures\":[{\"keyid\":\"21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9\",\"sig\":\"RS2KihLfYW9OZQvxLC2cQxJIewzvv+bcX6Be7jTinJsdIGN5FnaTW1SQa1w+78g5W7/1DevRq1sWO19zLg+WAA==\"}]}";

  static Bundle build() {
    TreeMap<String, byte[]> files = new TreeMap<>();
    files.put("pos.yaml", POS_YAML.getBytes(StandardCharsets.UTF_8));
    return new BundleBuilder(Keys.fromHex(SEED)).build(new BundleContent("store-paris-01", "pos",
        "3f2a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49", 7, Instant.parse("2026-12-07T08:00:00Z"),
        Instant.parse("2027-01-06T08:00:00Z"), files));
  }

  @Test
  void theKeyIdIsTheSha256OfTheRawPublicKey() {
    SigningKey key = Keys.fromHex(SEED);
    assertThat(java.util.HexFormat.of().formatHex(key.publicKey().raw())).isEqualTo(PUBLIC_KEY_HEX);
    assertThat(key.keyId()).isEqualTo(KEY_ID);
  }

  @Test
  void theBuilderMakesTheVectorsBytes() {
    Bundle b = build();
    assertThat(Base64.getEncoder().encodeToString(b.manifestsTarGz())).isEqualTo(MANIFESTS_BASE64);
    assertThat(Sha256.hex(b.manifestsTarGz())).isEqualTo(MANIFESTS_SHA256);
    assertThat(new String(b.envelopeJson(), StandardCharsets.UTF_8)).isEqualTo(ENVELOPE + "\n");
  }

  @Test
  void theVectorVerifiesUnderATrustDocumentNamingTheKey() {
    TrustDocument trust = new TrustDocument(1, 1, java.util.List.of(Keys.ROOT_A.publicKey()),
        java.util.List.of(new TrustedKey(Keys.fromHex(SEED).publicKey(), Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2028-01-01T00:00:00Z"))), java.util.Set.of());
    Bundle b = new Bundle((ENVELOPE + "\n").getBytes(StandardCharsets.UTF_8), Base64.getDecoder().decode(MANIFESTS_BASE64));
    Verification v = new BundleVerifier(trust, Limits.DEFAULT).verify(b, "store-paris-01", Installed.NONE, Instant.parse("2026-12-08T00:00:00Z"));
    assertThat(v).isInstanceOfSatisfying(Verification.Accepted.class,
        a -> assertThat(new String(a.manifests().get("pos.yaml"), StandardCharsets.UTF_8)).isEqualTo(POS_YAML));
  }

  @Test
  void theDocumentShowsTheVector() throws IOException {
    String doc = Files.readString(RepoRoot.find().resolve("docs/bundle-format.md"));
    assertThat(doc).contains(SEED, PUBLIC_KEY_HEX, KEY_ID, MANIFESTS_BASE64, MANIFESTS_SHA256, ENVELOPE);
  }
}
