package dev.flotilla.bundle;

import java.util.regex.Pattern;

/**
 * The only paths an archive may hold: relative, '/'-separated, each segment of letters, digits,
 * '.', '_' and '-', never '.' or '..', at most 100 bytes (one ustar name field). Anything else could
 * escape the folder it is unpacked into, or mean different files on different systems.
 */
final class ArchivePath {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

  private ArchivePath() {}

  static boolean isSafe(String path) {
    if (path.isEmpty() || path.length() > 100 || path.startsWith("/") || path.endsWith("/")) return false;
    for (String segment : path.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..") || !SEGMENT.matcher(segment).matches()) return false;
    }
    return true;
  }

  static String require(String path) {
    if (!isSafe(path)) throw new IllegalArgumentException("not a safe archive path: " + path);
    return path;
  }
}
