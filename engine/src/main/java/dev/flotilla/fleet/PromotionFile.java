package dev.flotilla.fleet;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import org.yaml.snakeyaml.nodes.Node;

/**
 * A promotion request recorded in the fleet repo: the file {@code promotions/<app>/<rollout>-<wave>.yaml}
 * that the engine commits on a branch and proposes in a pull request for a wave with
 * {@code approval: pull-request}. Once the file is on the followed branch (the pull request was
 * merged), the wave's approval gate is approved. The fleet loader does not read {@code promotions/}:
 * a promotion file never makes a revision invalid, and never changes what an app renders.
 */
public record PromotionFile(String app, String rollout, String revision, String wave, List<String> sites, Instant requestedAt) {
  public static final String KIND = "Promotion";
  /** The folder of the fleet repo that holds promotion files. */
  public static final String FOLDER = "promotions";

  public PromotionFile {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(rollout, "rollout");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(wave, "wave");
    Objects.requireNonNull(requestedAt, "requestedAt");
    sites = List.copyOf(sites == null ? List.of() : sites);
  }

  /** Where the file of this promotion lives in the fleet repo. */
  public String path() {
    return path(app, rollout, wave);
  }

  public static String path(String app, String rollout, String wave) {
    return FOLDER + "/" + app + "/" + rollout + "-" + wave + ".yaml";
  }

  /** True for a path under {@code promotions/} that names a YAML file. */
  public static boolean isPromotionPath(String path) {
    return path.startsWith(FOLDER + "/") && (path.endsWith(".yaml") || path.endsWith(".yml"));
  }

  /** The file's text; every value quoted, so a name that looks like a number or a date stays a string. */
  public String yaml() {
    StringBuilder b = new StringBuilder()
        .append("apiVersion: ").append(Header.API_VERSION).append('\n')
        .append("kind: ").append(KIND).append('\n')
        .append("spec:\n")
        .append("  app: ").append(quote(app)).append('\n')
        .append("  rollout: ").append(quote(rollout)).append('\n')
        .append("  revision: ").append(quote(revision)).append('\n')
        .append("  wave: ").append(quote(wave)).append('\n')
        .append("  sites:");
    if (sites.isEmpty()) b.append(" []");
    b.append('\n');
    for (String s : sites) b.append("    - ").append(quote(s)).append('\n');
    b.append("  requestedAt: ").append(quote(requestedAt.toString())).append('\n');
    return b.toString();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /**
   * Reads the promotion file {@code file} (its path in the repo, for messages) from {@code text}.
   * Every problem names the file, line and field; the file must sit where {@link #path()} says.
   */
  public static PromotionFile parse(String file, String text) throws FleetValidationException {
    Problems problems = new Problems();
    PromotionFile read = read(file, text, problems);
    if (!problems.isEmpty() || read == null) {
      if (problems.isEmpty()) problems.add(file, 0, "", "expected one kind: " + KIND + " document");
      throw new FleetValidationException(problems.sorted());
    }
    return read;
  }

  private static PromotionFile read(String file, String text, Problems problems) {
    List<Node> docs;
    try {
      docs = BoundedYaml.documents(file, text, ReadLimits.DEFAULT);
    } catch (RepoFileException e) {
      problems.add(e.file(), e.line(), "", e.reason());
      return null;
    }
    if (docs.size() != 1) {
      problems.add(file, 0, "", "expected one kind: " + KIND + " document, got " + docs.size());
      return null;
    }
    Fields root = new Fields(file, "", docs.get(0), problems);
    if (!root.isPresent()) return null;
    String apiVersion = root.string("apiVersion", true);
    if (apiVersion != null && !apiVersion.equals(Header.API_VERSION)) {
      root.problem("apiVersion", "expected " + Header.API_VERSION + ", got '" + Names.shorten(apiVersion) + "'");
    }
    String kind = root.string("kind", true);
    if (kind != null && !kind.equals(KIND)) root.problem("kind", "expected kind " + KIND + " under promotions/, got '" + Names.shorten(kind) + "'");
    root.object("metadata", false);
    Fields spec = root.object("spec", true);
    root.rejectUnknown("apiVersion", "kind", "metadata", "spec");
    String app = spec.string("app", true);
    String rollout = spec.string("rollout", true);
    String revision = spec.string("revision", true);
    String wave = spec.string("wave", true);
    List<String> sites = spec.strings("sites", false);
    String at = spec.string("requestedAt", true);
    spec.rejectUnknown("app", "rollout", "revision", "wave", "sites", "requestedAt");
    if (revision != null && !revision.matches("[0-9a-f]{40}")) spec.problem("revision", "expected a full commit id (40 hex), got '" + Names.shorten(revision) + "'");
    if (app != null && rollout != null && !rollout.startsWith(app + "-")) {
      spec.problem("rollout", "rollout '" + Names.shorten(rollout) + "' is not one of app " + app + " (expected " + app + "-…)");
    }
    Instant requestedAt = null;
    if (at != null) {
      try {
        requestedAt = Instant.parse(at);
      } catch (DateTimeParseException e) {
        spec.problem("requestedAt", "expected an instant such as 2026-11-30T12:00:00Z, got '" + Names.shorten(at) + "'");
      }
    }
    if (app == null || rollout == null || revision == null || wave == null || requestedAt == null || !problems.isEmpty()) return null;
    PromotionFile read = new PromotionFile(app, rollout, revision, wave, sites, requestedAt);
    if (!read.path().equals(file)) {
      problems.add(file, 0, "", "a promotion of wave " + wave + " of rollout " + rollout + " belongs at " + read.path());
      return null;
    }
    return read;
  }
}
