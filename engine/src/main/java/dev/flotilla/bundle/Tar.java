package dev.flotilla.bundle;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * The subset of POSIX ustar that bundles use, written by hand so that every byte is fixed: regular
 * files only, sorted by name, mode 0644, uid/gid 0, no user or group names, mtime 0, no directory
 * entries, two zero blocks at the end and no padding to a record size. The reader accepts exactly
 * that subset and rejects links, devices, directories, PAX/GNU extensions and unsafe paths.
 */
final class Tar {
  private static final int BLOCK = 512;

  private Tar() {}

  static byte[] write(SortedMap<String, byte[]> files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      out.writeBytes(header(ArchivePath.require(f.getKey()), f.getValue().length));
      out.writeBytes(f.getValue());
      out.writeBytes(new byte[padding(f.getValue().length)]);
    }
    out.writeBytes(new byte[2 * BLOCK]);
    return out.toByteArray();
  }

  private static int padding(long size) {
    return (int) ((BLOCK - size % BLOCK) % BLOCK);
  }

  private static byte[] header(String name, long size) {
    byte[] h = new byte[BLOCK];
    put(h, 0, name.getBytes(StandardCharsets.US_ASCII));
    put(h, 100, octal(0644, 8));
    put(h, 108, octal(0, 8));
    put(h, 116, octal(0, 8));
    put(h, 124, octal(size, 12));
    put(h, 136, octal(0, 12));
    h[156] = '0';
    put(h, 257, "ustar\0".getBytes(StandardCharsets.US_ASCII));
    put(h, 263, "00".getBytes(StandardCharsets.US_ASCII));
    put(h, 329, octal(0, 8));
    put(h, 337, octal(0, 8));
    put(h, 148, checksumField(checksum(h)));
    return h;
  }

  /** {@code width-1} octal digits and a NUL. */
  private static byte[] octal(long value, int width) {
    String digits = Long.toOctalString(value);
    if (digits.length() > width - 1) throw new IllegalArgumentException("too large for a ustar field: " + value);
    return ("0".repeat(width - 1 - digits.length()) + digits + "\0").getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] checksumField(long sum) {
    String digits = Long.toOctalString(sum);
    return ("0".repeat(6 - digits.length()) + digits + "\0 ").getBytes(StandardCharsets.US_ASCII);
  }

  private static long checksum(byte[] h) {
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
    return sum;
  }

  private static void put(byte[] h, int offset, byte[] value) {
    System.arraycopy(value, 0, h, offset, value.length);
  }

  /**
   * Reads every file of a tar stream into memory, in archive order. {@code maxBytes} bounds the
   * sum of file sizes and {@code maxEntries} the number of files; what is read is bounded by the
   * caller's stream.
   */
  static Map<String, byte[]> read(InputStream in, long maxBytes, int maxEntries, String what) throws Rejection, IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    long total = 0;
    byte[] h = new byte[BLOCK];
    while (true) {
      readBlock(in, h, what);
      if (isZero(h)) {
        readBlock(in, h, what);
        if (!isZero(h)) throw new Rejection(RejectReason.MALFORMED, what + ": a single zero block inside the archive");
        return files;
      }
      if (checksum(h) != parseOctal(h, 148, 8, what)) throw new Rejection(RejectReason.MALFORMED, what + ": a header checksum does not match");
      if (!new String(h, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
        throw new Rejection(RejectReason.MALFORMED, what + ": not a ustar archive");
      }
      String name = path(h);
      char type = (char) h[156];
      if (type != '0' && type != '\0') {
        throw new Rejection(RejectReason.UNSAFE_PATH, what + ": entry '" + name + "' is not a regular file (type '" + type + "')");
      }
      if (!ArchivePath.isSafe(name)) throw new Rejection(RejectReason.UNSAFE_PATH, what + ": entry '" + name + "' escapes its folder or has an unsafe name");
      if (files.containsKey(name)) throw new Rejection(RejectReason.MALFORMED, what + ": entry '" + name + "' appears twice");
      if (files.size() >= maxEntries) throw new Rejection(RejectReason.TOO_LARGE, what + ": more than " + maxEntries + " entries");
      long size = parseOctal(h, 124, 12, what);
      if (size > Integer.MAX_VALUE - 8) throw new Rejection(RejectReason.TOO_LARGE, what + ": entry '" + name + "' is too large");
      total += size;
      if (total > maxBytes) throw new Rejection(RejectReason.TOO_LARGE, what + ": more than " + maxBytes + " bytes of files");
      byte[] data = in.readNBytes((int) size);
      if (data.length < size) throw new Rejection(RejectReason.TRUNCATED, what + ": entry '" + name + "' is cut short");
      long skip = padding(size);
      if (in.readNBytes((int) skip).length < skip) throw new Rejection(RejectReason.TRUNCATED, what + ": entry '" + name + "' is cut short");
      files.put(name, data);
    }
  }

  private static String path(byte[] h) {
    String name = cString(h, 0, 100);
    String prefix = cString(h, 345, 155);
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static String cString(byte[] h, int offset, int length) {
    int end = offset;
    while (end < offset + length && h[end] != 0) end++;
    // Latin-1 keeps every byte visible, so a non-ASCII name fails the path check instead of decoding oddly.
    return new String(h, offset, end - offset, StandardCharsets.ISO_8859_1);
  }

  private static long parseOctal(byte[] h, int offset, int length, String what) throws Rejection {
    long value = 0;
    int i = offset;
    while (i < offset + length && h[i] == ' ') i++;
    int digits = 0;
    for (; i < offset + length && h[i] != 0 && h[i] != ' '; i++) {
      if (h[i] < '0' || h[i] > '7' || ++digits > 11) throw new Rejection(RejectReason.MALFORMED, what + ": a header number is not octal");
      value = value * 8 + (h[i] - '0');
    }
    if (digits == 0) throw new Rejection(RejectReason.MALFORMED, what + ": a header number is empty");
    return value;
  }

  private static void readBlock(InputStream in, byte[] block, String what) throws Rejection, IOException {
    int n;
    try {
      n = in.readNBytes(block, 0, BLOCK);
    } catch (EOFException e) {
      n = -1;
    }
    if (n < BLOCK) throw new Rejection(RejectReason.TRUNCATED, what + ": the archive ends before its end marker");
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) if (b != 0) return false;
    return true;
  }
}
