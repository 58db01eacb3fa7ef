package dev.flotilla.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default data folder is never inside the fleet repo. */
class WorkspaceTest {
  @TempDir Path dir;

  @Test
  void aDefaultOutsideTheRepoStaysWhereItIs() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("fleet"));
    Files.createDirectories(repo.resolve(".git"));
    Path cwdDefault = dir.resolve("elsewhere/.flotilla");

    assertThat(Workspace.defaultDataDir(cwdDefault, repo, Map.of())).isEqualTo(cwdDefault);
  }

  @Test
  void aDefaultInsideTheRepoGoesUnderXdgDataHome() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("fleet"));
    Files.createDirectories(repo.resolve(".git"));

    Path chosen = Workspace.defaultDataDir(repo.resolve(".flotilla"), repo, Map.of("XDG_DATA_HOME", dir.resolve("xdg").toString()));

    assertThat(chosen.startsWith(dir.resolve("xdg/flotilla"))).as(chosen.toString()).isTrue();
    assertThat(chosen.startsWith(repo)).isFalse();
    assertThat(chosen.getFileName().toString()).startsWith("fleet-");
  }

  @Test
  void aRepoFolderInsideALargerWorkTreeCountsTheWholeWorkTree() throws Exception {
    Path checkout = Files.createDirectories(dir.resolve("checkout"));
    Files.createDirectories(checkout.resolve(".git"));
    Path repo = Files.createDirectories(checkout.resolve("fleet-repo-example"));

    Path chosen = Workspace.defaultDataDir(checkout.resolve(".flotilla"), repo, Map.of("HOME", dir.resolve("home").toString()));

    assertThat(chosen.startsWith(dir.resolve("home/.local/share/flotilla"))).as(chosen.toString()).isTrue();
    assertThat(chosen.startsWith(checkout)).isFalse();
  }

  @Test
  void twoReposGetTwoFolders() throws Exception {
    Path a = Files.createDirectories(dir.resolve("a/fleet"));
    Path b = Files.createDirectories(dir.resolve("b/fleet"));
    Map<String, String> env = Map.of("XDG_DATA_HOME", dir.resolve("xdg").toString());

    assertThat(Workspace.defaultDataDir(a.resolve(".flotilla"), a, env)).isNotEqualTo(Workspace.defaultDataDir(b.resolve(".flotilla"), b, env));
  }
}
