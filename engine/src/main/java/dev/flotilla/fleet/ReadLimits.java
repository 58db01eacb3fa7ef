package dev.flotilla.fleet;

import java.util.Map;

/**
 * How much of a fleet repo file Flotilla agrees to read: the size of a file (checked before it is
 * read), the length of one scalar (checked as the parser meets it, before it enters any tree) and
 * the number of nodes of one document once its aliases are expanded (a "billion laughs" document
 * is refused, not walked). A fleet repo cannot raise them: they come from the engine's
 * environment ({@link #fromEnvironment}), never from the repo.
 *
 * @param maxFileBytes largest file read, in bytes
 * @param maxScalarChars longest scalar (string, number, key), in characters
 * @param maxDocumentNodes most nodes of one document after alias expansion
 */
public record ReadLimits(long maxFileBytes, int maxScalarChars, long maxDocumentNodes) {
  public static final String FILE_ENV = "FLOTILLA_MAX_FILE_SIZE";
  public static final String SCALAR_ENV = "FLOTILLA_MAX_SCALAR_SIZE";

  /**
   * 4 MiB per file holds a 10,000-site file with room to spare (about 1.3 MiB); 1 Mi characters
   * per scalar is the most a Kubernetes object can carry anyway (etcd takes objects up to 1.5 MiB).
   */
  public static final ReadLimits DEFAULT = new ReadLimits(4L << 20, 1 << 20, 1_000_000);

  public ReadLimits {
    if (maxFileBytes < 1 || maxScalarChars < 1 || maxDocumentNodes < 1) {
      throw new IllegalArgumentException("read limits must be positive");
    }
  }

  /**
   * The defaults, with {@value #FILE_ENV} and {@value #SCALAR_ENV} (a size such as {@code 8Mi},
   * {@code 512Ki} or a number of bytes) taken from {@code env} when set.
   *
   * @throws IllegalArgumentException naming the variable when one is not a size
   */
  public static ReadLimits fromEnvironment(Map<String, String> env) {
    long file = ByteSize.parseOr(env.get(FILE_ENV), DEFAULT.maxFileBytes, FILE_ENV);
    long scalar = ByteSize.parseOr(env.get(SCALAR_ENV), DEFAULT.maxScalarChars, SCALAR_ENV);
    return new ReadLimits(file, (int) Math.min(Integer.MAX_VALUE - 8, scalar), DEFAULT.maxDocumentNodes);
  }
}
