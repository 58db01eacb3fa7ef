package dev.flotilla.bundle;

/**
 * How much a verifier reads before giving up: bounds on what a server, a mirror or a USB stick can
 * make an agent download, decompress and hold in memory.
 */
public record Limits(long maxEnvelopeBytes, long maxArchiveBytes, long maxUnpackedBytes, int maxEntries) {
  /** 1 MiB envelope, 32 MiB compressed and 128 MiB unpacked manifests, 10,000 files. */
  public static final Limits DEFAULT = new Limits(1L << 20, 32L << 20, 128L << 20, 10_000);

  public Limits {
    if (maxEnvelopeBytes < 1 || maxArchiveBytes < 1 || maxUnpackedBytes < 1 || maxEntries < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  /** The largest {@code .tar} form of a bundle: both files, their headers and the end marker. */
  long maxBundleTarBytes() {
    return maxEnvelopeBytes + maxArchiveBytes + 4 * 512 + 2 * 512 + 10240;
  }
}
