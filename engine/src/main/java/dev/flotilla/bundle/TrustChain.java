package dev.flotilla.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The trust documents a key folder holds ({@code trust/<version>.json}, written by {@code flotilla
 * keys}, and {@code trust.json}), checked as an agent would check them: the lowest version against
 * its own roots, every later one as the next version signed by a threshold of the roots before it.
 * {@link #links()} is the checked chain up to the first version that is missing or refused;
 * {@link #problem()} says why the chain stops there, when it does. The engine serves only the
 * checked links, so a stray or broken file in the folder is named in its log, never handed out.
 */
public record TrustChain(List<Link> links, Optional<String> problem) {
  /** The most bytes one trust document may have (the bundle envelope's bound). */
  public static final int MAX_DOCUMENT_BYTES = (int) Limits.DEFAULT.maxEnvelopeBytes();

  private static final Pattern VERSION_FILE = Pattern.compile("([1-9][0-9]{0,8})\\.json");

  /** One checked version: its envelope exactly as stored, and that envelope's SHA-256 (hex). */
  public record Link(int version, byte[] envelope, String sha256) {
    /** An ETag for it (quoted): the version and 16 hex of the digest. */
    public String etag() {
      return "\"trust-" + version + "-" + sha256.substring(0, 16) + "\"";
    }
  }

  public TrustChain {
    links = List.copyOf(links);
  }

  /** The newest checked version, if any. */
  public Optional<Link> current() {
    return links.isEmpty() ? Optional.empty() : Optional.of(links.get(links.size() - 1));
  }

  public Optional<Link> version(int version) {
    return links.stream().filter(l -> l.version() == version).findFirst();
  }

  /**
   * Reads {@code dir}: its {@code trust/<N>.json} files, any {@code <N>.json} directly in it (a
   * copy of the {@code trust} folder), and its {@code trust.json}.
   */
  public static TrustChain read(Path dir) throws BundleException {
    TreeMap<Integer, byte[]> byVersion = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    for (Path folder : List.of(dir.resolve("trust"), dir)) {
      if (!Files.isDirectory(folder)) continue;
      try (Stream<Path> files = Files.list(folder)) {
        for (Path f : files.sorted().toList()) {
          Matcher m = VERSION_FILE.matcher(f.getFileName().toString());
          if (!m.matches()) continue;
          try {
            collect(byVersion, Integer.parseInt(m.group(1)), readDocument(f), f, problems);
          } catch (BundleException e) {
            problems.add(e.getMessage());
          }
        }
      } catch (IOException e) {
        throw new BundleException("cannot list trust documents in " + folder, e);
      }
    }
    Path current = dir.resolve("trust.json");
    if (Files.isRegularFile(current)) {
      try {
        byte[] bytes = readDocument(current);
        collect(byVersion, TrustDocuments.bootstrap(bytes).version(), bytes, current, problems);
      } catch (Rejection r) {
        problems.add(current + " is not a valid trust document (" + r.reason().code() + ": " + r.detail() + ")");
      } catch (BundleException e) {
        problems.add(e.getMessage());
      }
    }
    return check(byVersion, problems);
  }

  private static void collect(TreeMap<Integer, byte[]> byVersion, int version, byte[] bytes, Path from, List<String> problems) {
    byte[] before = byVersion.putIfAbsent(version, bytes);
    if (before != null && !java.util.Arrays.equals(before, bytes)) {
      problems.add(from + " differs from another file of version " + version + "; the first one found is used");
    }
  }

  private static TrustChain check(TreeMap<Integer, byte[]> byVersion, List<String> problems) {
    List<Link> links = new ArrayList<>();
    TrustDocument last = null;
    for (var e : byVersion.entrySet()) {
      int version = e.getKey();
      byte[] bytes = e.getValue();
      try {
        TrustDocument doc = last == null ? TrustDocuments.bootstrap(bytes) : TrustDocuments.next(last, bytes);
        if (doc.version() != version) throw new Rejection(RejectReason.MALFORMED, "the file of version " + version + " holds version " + doc.version());
        links.add(new Link(version, bytes, Sha256.hex(bytes)));
        last = doc;
      } catch (Rejection r) {
        problems.add(0, "the chain stops before version " + version + ": " + r.reason().code() + ": " + r.detail());
        break;
      }
    }
    return new TrustChain(links, problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems)));
  }

  private static byte[] readDocument(Path f) throws BundleException {
    try {
      if (Files.size(f) > MAX_DOCUMENT_BYTES) throw new BundleException(f + " is larger than " + MAX_DOCUMENT_BYTES + " bytes");
      return Files.readAllBytes(f);
    } catch (IOException e) {
      throw new BundleException("cannot read trust document " + f, e);
    }
  }
}
