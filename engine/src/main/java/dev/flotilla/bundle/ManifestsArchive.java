package dev.flotilla.bundle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.SortedMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * {@code manifests.tar.gz}: the site's rendered YAML files in a {@link Tar}, gzip-compressed with
 * the JDK's deflater. The JDK writes a gzip header with mtime 0, no file name and OS byte 0, so the
 * bytes depend only on the files (and on the zlib the JDK ships: a different zlib may compress
 * differently, which changes the digest but not what it vouches for).
 */
final class ManifestsArchive {
  static final String FILE_NAME = "manifests.tar.gz";

  private ManifestsArchive() {}

  static byte[] pack(SortedMap<String, byte[]> files) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(Tar.write(files));
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("compressing in memory", e);
    }
  }

  /** Unpacks bytes whose digest has been checked, within {@code limits}. */
  static Map<String, byte[]> unpack(byte[] tarGz, Limits limits) throws Rejection {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(tarGz))) {
      return Tar.read(in, limits.maxUnpackedBytes(), limits.maxEntries(), FILE_NAME);
    } catch (EOFException e) {
      throw new Rejection(RejectReason.TRUNCATED, FILE_NAME + " ends early");
    } catch (ZipException e) {
      throw new Rejection(RejectReason.MALFORMED, FILE_NAME + " is not gzip: " + e.getMessage());
    } catch (IOException e) {
      throw new Rejection(RejectReason.MALFORMED, FILE_NAME + " cannot be read: " + e.getMessage());
    }
  }
}
