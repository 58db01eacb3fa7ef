package dev.flotilla.cli;

import dev.flotilla.app.Workspace;
import dev.flotilla.git.FleetRepoSource;
import dev.flotilla.git.GitAuth;
import dev.flotilla.git.GitSyncException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command that reads a fleet repo shares: where it is and how to reach it. */
final class RepoOptions {
  @Option(names = "--repo", required = true, paramLabel = "PATH_OR_URL",
      description = "The fleet repo: a local folder (may be a folder inside a Git repository) or a URL"
          + " (file://, http(s)://, ssh://, git@host:path).")
  RepoLocation repo;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Data folder holding the Git cache, snapshots and render cache (default: $FLOTILLA_DATA or ./.flotilla).")
  Path dataDir;

  @Option(names = "--token-env", paramLabel = "VAR", description = "HTTP(S): environment variable holding the access token.")
  String tokenEnv;

  @Option(names = "--token-file", paramLabel = "FILE", description = "HTTP(S): file holding the access token.")
  Path tokenFile;

  @Option(names = "--git-user", paramLabel = "NAME", description = "HTTP(S): user name sent with the token (default x-access-token).")
  String gitUser;

  @Option(names = "--ssh-key", paramLabel = "FILE", description = "SSH: private key file.")
  Path sshKey;

  @Option(names = "--known-hosts", paramLabel = "FILE", description = "SSH: known_hosts file that lists the server's key.")
  Path knownHosts;

  @Option(names = "--allow-insecure-http",
      description = "Send the token over plain http:// too (refused by default: anyone on the way can read it).")
  boolean allowInsecureHttp;

  @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE) picocli.CommandLine.Model.CommandSpec spec;

  /**
   * The data folder: as chosen ({@code --data-dir}, {@code FLOTILLA_DATA}), else {@code ./.flotilla}
   * unless that would lie inside a local fleet repo (see {@link Workspace#defaultDataDir}).
   */
  Workspace workspace() {
    if (workspace == null) workspace = chooseWorkspace();
    return workspace;
  }

  /** Chosen once per command, so that its note is printed once. */
  private Workspace workspace;

  private Workspace chooseWorkspace() {
    // dataDir is never null: see EnvironmentDefaults
    boolean chosen = System.getenv(Workspace.DATA_ENV) != null || (spec != null && spec.commandLine() != null
        && spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption("--data-dir"));
    if (chosen || repo == null || FleetRepoSource.isUrl(repo.value())) return Workspace.from(dataDir, System.getenv());
    Path dir = Workspace.defaultDataDir(dataDir, Path.of(repo.value()), System.getenv());
    if (!dir.equals(dataDir)) {
      System.err.println("flotilla: data folder " + dir + " (./.flotilla would be inside the fleet repo; --data-dir or "
          + Workspace.DATA_ENV + " chooses another)");
    }
    return new Workspace(dir);
  }

  FleetRepoSource open() throws GitSyncException {
    return FleetRepoSource.open(repo.value(), workspace().cacheDir(), auth());
  }

  GitAuth auth() {
    return new GitAuth(tokenEnv, tokenFile, gitUser, sshKey, knownHosts, allowInsecureHttp);
  }
}
