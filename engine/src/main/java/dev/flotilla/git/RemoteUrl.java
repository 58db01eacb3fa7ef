package dev.flotilla.git;

import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.jgit.transport.URIish;

/**
 * The URL of a remote fleet repo, with any credentials taken out of it.
 *
 * <p>{@link #display()} is safe to log and to put in messages; a user and password written into an
 * HTTP URL are kept apart in {@link #embeddedUser()} and {@link #embeddedPassword()} and never
 * printed. For SSH the user is a login name, not a secret, and stays in the URL.
 */
record RemoteUrl(URIish uri, String embeddedUser, String embeddedPassword) {
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
  private static final Pattern SCP_LIKE = Pattern.compile("^[^/@:\\s]+@[^/:\\s]+:.+");

  /** True when the location is a URL ({@code scheme://...} or scp-like {@code user@host:path}). */
  static boolean isUrl(String location) {
    return SCHEME.matcher(location).matches() || SCP_LIKE.matcher(location).matches();
  }

  static RemoteUrl parse(String location) throws GitSyncException {
    URIish parsed;
    try {
      parsed = new URIish(location);
    } catch (URISyntaxException e) {
      // The raw location may hold a password: name it by its scheme only.
      throw new GitSyncException(
          "<unparsable URL>", null, GitSyncException.Reason.NOT_A_REPOSITORY, e.getReason());
    }
    if (isHttp(parsed)) {
      return new RemoteUrl(
          parsed.setUser(null).setPass(null), parsed.getUser(), parsed.getPass());
    }
    return new RemoteUrl(parsed.setPass(null), null, parsed.getPass());
  }

  private static boolean isHttp(URIish uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return scheme.equals("http") || scheme.equals("https");
  }

  boolean isHttp() {
    return isHttp(uri);
  }

  /** {@code http://}, without TLS. */
  boolean isPlainHttp() {
    return uri.getScheme() != null && uri.getScheme().equalsIgnoreCase("http");
  }

  boolean isSsh() {
    String scheme = uri.getScheme();
    return scheme == null ? uri.getHost() != null : scheme.toLowerCase(Locale.ROOT).contains("ssh");
  }

  /** The URL without credentials. */
  String display() {
    return uri.toString();
  }

  /** The cache folder name: the first 16 hex digits of the SHA-256 of {@link #display()}. */
  String cacheKey() {
    return Hashes.sha256Prefix(display(), 16);
  }

  @Override
  public String toString() {
    return display();
  }
}
