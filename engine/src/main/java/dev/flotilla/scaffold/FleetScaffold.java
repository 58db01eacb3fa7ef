package dev.flotilla.scaffold;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.flotilla.fleet.RegionZones;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.UserConfig;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Creates fleet repos and adds sites and apps to them from the {@link Templates}: what {@code
 * flotilla init}, {@code flotilla new site} and {@code flotilla new app} do. Every step checks
 * first and writes after, so a failed step leaves the disk as it was.
 */
public final class FleetScaffold {
  /** Used for the initial commit when Git has no user configured. */
  static final PersonIdent FALLBACK_IDENT = new PersonIdent("Flotilla", "flotilla@localhost");

  private final Templates templates;

  public FleetScaffold(Templates templates) {
    this.templates = templates;
  }

  /** Shorthand for {@code new FleetScaffold(Templates.at(templatesRoot)).init(templateName, targetDir)}. */
  public static String init(Path templatesRoot, String templateName, Path targetDir) throws ScaffoldException {
    return new FleetScaffold(Templates.at(templatesRoot)).init(templateName, targetDir);
  }

  /**
   * Copies the fleet template {@code templateName} into {@code targetDir}, which must be new or
   * empty, makes it a Git repository and commits the files as "Initial fleet from template X".
   *
   * @return the id of the initial commit
   */
  public String init(String templateName, Path targetDir) throws ScaffoldException {
    Path source = templates.fleetTemplate(templateName);
    Path target = targetDir.toAbsolutePath().normalize();
    requireNewOrEmpty(target);
    boolean created = !Files.exists(target);
    TreeCopy copy = new TreeCopy().addTree(source, target, new Placeholders());
    copy.write();
    try {
      return commitAll(target, "Initial fleet from template " + templateName);
    } catch (ScaffoldException e) {
      removeContents(target, created);
      throw e;
    }
  }

  /** {@link #newSite(Path, String, String, String)} in time zone {@code UTC}. */
  public Path newSite(Path repo, String name, String tier) throws ScaffoldException {
    return newSite(repo, name, tier, "UTC");
  }

  /**
   * Writes {@code sites/<name>.yaml} for a new site of {@code tier}. Sites of a push tier get a
   * {@code cluster:} naming {@code /etc/flotilla/kubeconfigs/<name>.yaml} and context {@code <name>}.
   *
   * @return the file written
   */
  public Path newSite(Path repo, String name, String tier, String timezone) throws ScaffoldException {
    FleetDeclarations fleet = new FleetDeclarations(repo);
    Path file = repo.resolve("sites").resolve(name + ".yaml");
    DnsLabel.require(name, "metadata.name", file);
    String delivery = requireTier(fleet.tiers(), tier, repo.resolve("fleet.yaml"));
    requireTimezone(timezone, file);
    Optional<Path> existing = fleet.siteDeclaring(name);
    if (existing.isPresent()) {
      throw new ScaffoldException(existing.get(), "metadata.name: a site named '" + name + "' already exists");
    }
    Placeholders values = new Placeholders().with("NAME", name).with("TIER", tier).with("TIMEZONE", timezone);
    TreeCopy copy = new TreeCopy().add(templates.newSite(), file, values);
    if ("push".equals(delivery)) {
      String site = copy.planned().get(file);
      String cluster = new TreeCopy().add(templates.newSiteCluster(), file, values).planned().get(file);
      copy.addText(file, (site.endsWith("\n") ? site : site + "\n") + cluster);
    }
    copy.write();
    return file;
  }

  /**
   * Writes {@code apps/<name>/}: an {@code app.yaml} targeting {@code tiers} with {@code policy},
   * a {@code base/} and one {@code overlays/<tier>/} per tier.
   *
   * @return the app's folder
   */
  public Path newApp(Path repo, String name, String policy, List<String> tiers) throws ScaffoldException {
    FleetDeclarations fleet = new FleetDeclarations(repo);
    Path appDir = repo.resolve("apps").resolve(name);
    Path appFile = appDir.resolve("app.yaml");
    DnsLabel.require(name, "metadata.name", appFile);
    if (Files.exists(appDir)) throw new ScaffoldException(appDir, "an app named '" + name + "' already exists");
    List<String> wanted = requireTiers(fleet.tiers(), tiers, repo.resolve("fleet.yaml"));
    List<String> policies = fleet.policies();
    if (!policies.contains(policy)) {
      throw new ScaffoldException(
          repo.resolve("policies"),
          "spec.policy: no RolloutPolicy named '" + policy + "'; declared: " + (policies.isEmpty() ? "none" : String.join(", ", policies)));
    }
    Placeholders common =
        new Placeholders().with("NAME", name).with("POLICY", policy).with("TIERS", "[" + String.join(", ", wanted) + "]");
    TreeCopy copy = new TreeCopy();
    Path source = templates.newApp();
    for (Path file : TreeCopy.filesUnder(source)) {
      String relative = source.relativize(file).toString();
      if (relative.contains("__TIER__")) {
        for (String tier : wanted) {
          Placeholders perTier =
              new Placeholders().with("NAME", name).with("POLICY", policy).with("TIER", tier);
          copy.add(file, appDir.resolve(perTier.fill(relative, file)), perTier);
        }
      } else {
        copy.add(file, appDir.resolve(common.fill(relative, file)), common);
      }
    }
    copy.write();
    return appDir;
  }

  private static void requireNewOrEmpty(Path target) throws ScaffoldException {
    if (!Files.exists(target)) return;
    if (!Files.isDirectory(target)) throw new ScaffoldException(target, "exists and is not a folder; expected a new or empty folder");
    try (Stream<Path> children = Files.list(target)) {
      if (children.findAny().isPresent()) {
        throw new ScaffoldException(target, "is not empty; expected a new or empty folder (nothing was written)");
      }
    } catch (IOException e) {
      throw new ScaffoldException(target, "cannot list: " + e.getMessage(), e);
    }
  }

  private static String requireTier(Map<String, String> tiers, String tier, Path fleetFile) throws ScaffoldException {
    if (!tiers.containsKey(tier)) {
      throw new ScaffoldException(fleetFile, "spec.tier: '" + tier + "' is not a tier of the fleet; tiers: " + String.join(", ", tiers.keySet()));
    }
    return tiers.get(tier);
  }

  private static List<String> requireTiers(Map<String, String> tiers, List<String> wanted, Path fleetFile)
      throws ScaffoldException {
    if (wanted == null || wanted.isEmpty()) {
      throw new ScaffoldException(fleetFile, "spec.targets.tiers: expected at least one tier of " + String.join(", ", tiers.keySet()));
    }
    for (String tier : wanted) requireTier(tiers, tier, fleetFile);
    // Fleet order (most central first) reads better than the order the caller happened to give.
    LinkedHashSet<String> unique = new LinkedHashSet<>(wanted);
    return tiers.keySet().stream().filter(unique::contains).toList();
  }

  private static void requireTimezone(String timezone, Path file) throws ScaffoldException {
    if (RegionZones.of(timezone) == null) {
      throw new ScaffoldException(file, "spec.timezone: '" + timezone + "' " + RegionZones.EXPECTED);
    }
  }

  private static String commitAll(Path dir, String message) throws ScaffoldException {
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      UserConfig user = git.getRepository().getConfig().get(UserConfig.KEY);
      var commit = git.commit().setMessage(message).setSign(false);
      if (user.isAuthorNameImplicit() || user.isAuthorEmailImplicit()) {
        commit.setAuthor(FALLBACK_IDENT).setCommitter(FALLBACK_IDENT);
      }
      RevCommit done = commit.call();
      return done.name();
    } catch (GitAPIException | RuntimeException e) {
      throw new ScaffoldException(dir, "cannot create the Git repository: " + e.getMessage(), e);
    }
  }

  /** Undoes {@link #init} after a Git failure: the folder goes back to empty (or away, if init made it). */
  private static void removeContents(Path dir, boolean removeDir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        if (removeDir || !p.equals(dir)) Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // Best effort: the Git error reported to the caller is the one that matters.
    }
  }
}
