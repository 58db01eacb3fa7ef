package dev.flotilla.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The fleet repo as a jail: every path Flotilla (or kustomize, on its behalf) reads must resolve,
 * after every symbolic link, inside the repo's root. A link that leaves the repo is refused
 * without being read, whether the repo is a working tree or a revision's snapshot (snapshots keep
 * links as links, so both are judged the same way). Files are read with a size limit checked
 * before a byte of them is read.
 */
public final class RepoJail {
  private final Path root;
  private final Path realRoot;

  private RepoJail(Path root, Path realRoot) {
    this.root = root;
    this.realRoot = realRoot;
  }

  /** The jail of the repo at {@code root}, which must exist. */
  public static RepoJail of(Path root) throws IOException {
    Path absolute = root.toAbsolutePath().normalize();
    return new RepoJail(absolute, absolute.toRealPath());
  }

  /** The repo root as given (absolute, normalized), from which relative names are made. */
  public Path root() {
    return root;
  }

  /** {@code path} relative to the root, with '/' separators, as problems name files. */
  public String relative(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    Path rel = abs.startsWith(root) ? root.relativize(abs) : abs;
    return rel.toString().replace(abs.getFileSystem().getSeparator(), "/");
  }

  /**
   * Why {@code path} is not inside the repo, or null when it is. A path that does not exist is
   * judged by its nearest existing ancestor (after links) plus the rest of its name, so a missing
   * file under a linked-out folder is refused too.
   */
  public String whyOutside(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    if (!abs.startsWith(root)) return "is outside the fleet repo";
    Path existing = abs;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) existing = existing.getParent();
    if (existing == null) return "is outside the fleet repo";
    Path real;
    try {
      real = existing.toRealPath();
    } catch (IOException e) {
      // A dangling link, a loop or no permission: nothing readable there either way.
      return "cannot be resolved (" + e.getClass().getSimpleName() + ": a dangling or looping link?)";
    }
    if (real.startsWith(realRoot)) return null;
    return "is a link that leads outside the fleet repo (to " + real + ")";
  }

  /**
   * The file's text (UTF-8), refused when it leaves the repo, is not a regular file, is larger
   * than {@code maxBytes} (checked before reading) or is not UTF-8.
   */
  public String readText(Path file, long maxBytes) throws RepoFileException, IOException {
    String rel = relative(file);
    String outside = whyOutside(file);
    if (outside != null) throw new RepoFileException(rel, 0, outside + ": not read");
    Path real = file.toRealPath();
    if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) throw new RepoFileException(rel, 0, "is not a regular file");
    long size = Files.size(real);
    if (size > maxBytes) throw tooLarge(rel, size, maxBytes);
    byte[] bytes;
    try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
      // Read one byte past the limit: a file that grew since its size was taken is still caught.
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    } catch (NoSuchFileException e) {
      throw new RepoFileException(rel, 0, "disappeared while being read");
    }
    if (bytes.length > maxBytes) throw tooLarge(rel, bytes.length, maxBytes);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      int offset = firstBadByte(bytes);
      int line = 1;
      for (int i = 0; i < offset; i++) if (bytes[i] == '\n') line++;
      throw new RepoFileException(rel, line, "not valid UTF-8: the byte at offset " + offset + " (line " + line
          + ") is not part of a UTF-8 character; save the file as UTF-8");
    }
  }

  private static RepoFileException tooLarge(String rel, long size, long maxBytes) {
    return new RepoFileException(rel, 0, "is " + ByteSize.format(size) + ", larger than the limit of "
        + ByteSize.format(maxBytes) + " per file (" + ReadLimits.FILE_ENV + "): not read");
  }

  /** The offset of the first byte that is not part of a well-formed UTF-8 character. */
  private static int firstBadByte(byte[] bytes) {
    var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    decoder.decode(in, java.nio.CharBuffer.allocate(bytes.length + 1), true);
    return in.position();
  }
}
