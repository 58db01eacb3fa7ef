package dev.flotilla.fleet;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kustomization entries that kustomize would fetch over the network rather than read from the
 * repo: {@code https://…}, {@code ssh://…}, {@code git@host:…}, {@code git::…}, {@code gh:…} or
 * {@code github.com/…} (which kustomize clones without a scheme). Refused unless its host is one of
 * {@code fleet.yaml}'s {@code spec.remoteResources.allowedHosts}, it is fetched over HTTPS or SSH,
 * and it is pinned to a commit ({@code ?ref=<40 hex digits>}): a branch or tag can move under the
 * render cache, a commit cannot.
 */
public final class RemoteResources {
  private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://.*");
  private static final Pattern SCP_LIKE = Pattern.compile("^[^/@:\\s]+@([^/:\\s]+):.*");
  private static final Pattern IMPLICIT_HOST = Pattern.compile("^(github\\.com|gitlab\\.com|bitbucket\\.org)/.*");
  private static final Pattern COMMIT_REF = Pattern.compile("(?:^|[?&])ref=[0-9a-f]{40}(?:&|$)");
  private static final Set<String> SECURE_SCHEMES = Set.of("https", "ssh", "git+ssh", "ssh+git");

  private RemoteResources() {}

  /** True when kustomize would treat {@code text} as a remote resource, not a path. */
  public static boolean looksRemote(String text) {
    String t = text.trim();
    return t.startsWith("git::") || t.startsWith("gh:") || SCHEME.matcher(t).matches()
        || SCP_LIKE.matcher(t).matches() || IMPLICIT_HOST.matcher(t).matches();
  }

  /** Why {@code text} may not be fetched with these allowed hosts, or null when it may. */
  public static String whyRefused(String text, Set<String> allowedHosts) {
    String t = text.trim();
    if (t.startsWith("git::")) t = t.substring("git::".length());
    if (t.startsWith("gh:")) t = "https://github.com/" + t.substring("gh:".length());
    String host;
    Matcher scheme = SCHEME.matcher(t);
    Matcher scp = SCP_LIKE.matcher(t);
    Matcher implicit = IMPLICIT_HOST.matcher(t);
    if (scheme.matches()) {
      String s = scheme.group(1).toLowerCase(Locale.ROOT);
      if (!SECURE_SCHEMES.contains(s)) {
        return "remote resources are fetched over https:// or ssh:// only, not " + s + "://"
            + (s.equals("file") ? " (a file:// URL reads the engine's own disk)" : "");
      }
      host = hostOf(t);
    } else if (scp.matches()) {
      host = scp.group(1);
    } else if (implicit.matches()) {
      host = implicit.group(1);
    } else {
      return "is not a URL kustomize can fetch";
    }
    if (host == null || host.isEmpty()) return "names no host";
    host = host.toLowerCase(Locale.ROOT);
    if (!allowedHosts.contains(host)) {
      return "is a remote resource on host '" + host + "', and fleet.yaml's spec.remoteResources.allowedHosts "
          + (allowedHosts.isEmpty() ? "is empty (remote resources are refused unless their host is listed there)"
              : "lists only " + allowedHosts.stream().sorted().toList());
    }
    int query = t.indexOf('?');
    if (query < 0 || !COMMIT_REF.matcher(t.substring(query + 1)).find()) {
      return "is not pinned: add ?ref=<the full 40-hex commit id> (a branch or tag can move under the render"
          + " cache; a commit cannot)";
    }
    return null;
  }

  private static String hostOf(String url) {
    try {
      // Kustomize's "//" separates the repository from a folder inside it; URI does not mind it.
      return new URI(url.replace(" ", "%20")).getHost();
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
