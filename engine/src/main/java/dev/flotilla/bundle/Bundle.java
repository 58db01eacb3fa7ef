package dev.flotilla.bundle;

import java.util.Arrays;

/**
 * A bundle as it travels: the bytes of {@code envelope.json} and of {@code manifests.tar.gz},
 * exactly as stored. Nothing in it is trusted until {@link BundleVerifier} says so.
 */
public record Bundle(byte[] envelopeJson, byte[] manifestsTarGz) {
  public static final String ENVELOPE_FILE = "envelope.json";
  public static final String MANIFESTS_FILE = ManifestsArchive.FILE_NAME;

  public Bundle {
    envelopeJson = envelopeJson.clone();
    manifestsTarGz = manifestsTarGz.clone();
  }

  @Override
  public byte[] envelopeJson() {
    return envelopeJson.clone();
  }

  @Override
  public byte[] manifestsTarGz() {
    return manifestsTarGz.clone();
  }

  /** The size a server stores and sends. */
  public long size() {
    return (long) envelopeJson.length + manifestsTarGz.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bundle b && Arrays.equals(envelopeJson, b.envelopeJson) && Arrays.equals(manifestsTarGz, b.manifestsTarGz);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(envelopeJson) * 31 + Arrays.hashCode(manifestsTarGz);
  }
}
