package dev.flotilla.bundle;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A bundle on disk: a folder holding {@code envelope.json} and {@code manifests.tar.gz}, or a
 * {@code .tar} of exactly those two files (written the same deterministic way as the manifests).
 * Reading is bounded by {@link Limits} before anything is held in memory.
 */
public final class BundleFiles {
  private BundleFiles() {}

  /** Writes {@code bundle} to {@code target}: a {@code .tar} when the name ends so, a folder otherwise. */
  public static void write(Bundle bundle, Path target) throws BundleException {
    try {
      Path parent = target.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      if (isTar(target)) {
        AtomicFiles.write(target, toTar(bundle));
        return;
      }
      Files.createDirectories(target);
      AtomicFiles.write(target.resolve(Bundle.ENVELOPE_FILE), bundle.envelopeJson());
      AtomicFiles.write(target.resolve(Bundle.MANIFESTS_FILE), bundle.manifestsTarGz());
    } catch (IOException e) {
      throw new BundleException("cannot write bundle " + target, e);
    }
  }

  public static byte[] toTar(Bundle bundle) {
    TreeMap<String, byte[]> files = new TreeMap<>();
    files.put(Bundle.ENVELOPE_FILE, bundle.envelopeJson());
    files.put(Bundle.MANIFESTS_FILE, bundle.manifestsTarGz());
    return Tar.write(files);
  }

  static boolean isTar(Path path) {
    return path.getFileName().toString().endsWith(".tar");
  }

  /** Reads a bundle folder or {@code .tar}; a missing path is a {@link BundleException}, bad content a {@link Rejection}. */
  static Bundle read(Path path, Limits limits) throws BundleException, Rejection {
    try {
      if (Files.isDirectory(path)) {
        return new Bundle(
            readBounded(path.resolve(Bundle.ENVELOPE_FILE), limits.maxEnvelopeBytes()),
            readBounded(path.resolve(Bundle.MANIFESTS_FILE), limits.maxArchiveBytes()));
      }
      return fromTar(readBounded(path, limits.maxBundleTarBytes()), limits);
    } catch (NoSuchFileException e) {
      throw new BundleException("no bundle at " + path + " (missing " + e.getFile() + ")");
    } catch (IOException e) {
      throw new BundleException("cannot read bundle " + path, e);
    }
  }

  /**
   * The manifests of a bundle in its {@code .tar} form, as the files it was built from (Secrets
   * still sealed): what a publisher needs to sign the same content again under a new statement.
   */
  public static SortedMap<String, byte[]> manifests(byte[] tar, Limits limits) throws BundleException {
    try {
      return new TreeMap<>(ManifestsArchive.unpack(fromTar(tar, limits).manifestsTarGz(), limits));
    } catch (Rejection e) {
      throw new BundleException("the stored bundle cannot be read: " + e.getMessage(), e);
    }
  }

  /** Splits the {@code .tar} form into its two files, rejecting anything else in it. */
  static Bundle fromTar(byte[] tar, Limits limits) throws Rejection {
    Map<String, byte[]> files;
    try (InputStream in = new ByteArrayInputStream(tar)) {
      files = Tar.read(in, limits.maxEnvelopeBytes() + limits.maxArchiveBytes(), 2, "bundle tar");
    } catch (IOException e) {
      throw new Rejection(RejectReason.MALFORMED, "bundle tar cannot be read: " + e.getMessage());
    }
    byte[] envelope = files.get(Bundle.ENVELOPE_FILE);
    byte[] manifests = files.get(Bundle.MANIFESTS_FILE);
    if (envelope == null || manifests == null || files.size() != 2) {
      throw new Rejection(RejectReason.MALFORMED, "bundle tar must hold exactly envelope.json and manifests.tar.gz, has " + files.keySet());
    }
    if (envelope.length > limits.maxEnvelopeBytes()) throw new Rejection(RejectReason.TOO_LARGE, "envelope.json is larger than " + limits.maxEnvelopeBytes() + " bytes");
    if (manifests.length > limits.maxArchiveBytes()) throw new Rejection(RejectReason.TOO_LARGE, "manifests.tar.gz is larger than " + limits.maxArchiveBytes() + " bytes");
    return new Bundle(envelope, manifests);
  }

  /** Reads at most {@code max} bytes, rejecting a larger file without reading it all (nor trusting its stated size). */
  private static byte[] readBounded(Path file, long max) throws IOException, Rejection {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
      if (bytes.length > max) throw new Rejection(RejectReason.TOO_LARGE, file.getFileName() + " is larger than " + max + " bytes");
      return bytes;
    }
  }
}
