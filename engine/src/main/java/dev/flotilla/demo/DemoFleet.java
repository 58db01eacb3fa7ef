package dev.flotilla.demo;

import dev.flotilla.fleet.FleetLoader;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.fleet.Site;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import dev.flotilla.git.Commits;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * The demo's fleet repo: a new Git repository holding a copy of the example fleet (scaled to the
 * asked number of sites), first committed as the fleet runs today; then the commit of a pos release.
 */
public final class DemoFleet implements AutoCloseable {
  static final String POS_IMAGE = "pos-server:";
  static final String TODAY_TAG = "4.12.0";
  static final List<String> POS_FILES = List.of("apps/pos/base/statefulset.yaml", "apps/pos/base/backup-cronjob.yaml");
  private static final PersonIdent DEMO = new PersonIdent("Flotilla demo", "demo@flotilla.invalid");

  private final Path repo;
  private final Git git;
  private final String todayRevision;
  private final FleetModel today;

  private DemoFleet(Path repo, Git git, String todayRevision, FleetModel today) {
    this.repo = repo;
    this.git = git;
    this.todayRevision = todayRevision;
    this.today = today;
  }

  /**
   * Copies {@code example} into {@code repo} (a new folder), adds generated sites up to {@code
   * sites} (0: as the example is), validates the result and commits it.
   *
   * @throws FleetValidationException if the example, or the example with the generated sites, is invalid
   * @throws IllegalArgumentException if {@code sites} is below the example's own number of sites
   */
  public static DemoFleet create(Path example, Path repo, int sites) throws IOException, GitAPIException, FleetValidationException {
    if (Files.exists(repo)) throw new IOException("the demo repository folder already exists: " + repo);
    copy(example, repo);
    FleetModel model = FleetLoader.load(repo);
    int have = model.sites().size();
    if (sites > 0 && sites < have) {
      throw new IllegalArgumentException("--sites " + sites + ": the example fleet already has " + have + " sites; ask for "
          + have + " or more");
    }
    if (sites > have) {
      Set<String> taken = model.sites().stream().map(Site::name).collect(Collectors.toSet());
      int stores = (int) model.sites().stream().filter(s -> s.tier().equals("pop")).count();
      Files.writeString(repo.resolve(GeneratedSites.FILE), GeneratedSites.yaml(sites - have, stores + 1, taken));
      model = FleetLoader.load(repo);
    }
    Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call();
    try {
      String today = Commits.commitAll(git, "Fleet as it runs today", DEMO);
      return new DemoFleet(repo, git, today, model);
    } catch (GitAPIException | RuntimeException e) {
      git.close();
      throw e;
    }
  }

  /** Commits a release of pos: its image tag goes from today's to {@code tag}. Returns the new revision. */
  public String commitRelease(String tag) throws IOException, GitAPIException {
    for (String file : POS_FILES) {
      Path p = repo.resolve(file);
      String before = Files.readString(p);
      String after = before.replace(POS_IMAGE + TODAY_TAG, POS_IMAGE + tag);
      if (after.equals(before)) throw new IOException(p + ": no image " + POS_IMAGE + TODAY_TAG + " to release " + tag + " over");
      Files.writeString(p, after);
    }
    return Commits.commitAll(git, "pos: release " + tag, DEMO);
  }

  public Path repo() {
    return repo;
  }

  public String todayRevision() {
    return todayRevision;
  }

  /** The fleet as committed today; the release changes no site, so its sites are the release's too. */
  public FleetModel today() {
    return today;
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }


  @Override
  public void close() {
    git.close();
  }
}
