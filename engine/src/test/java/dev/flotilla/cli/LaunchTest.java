package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LaunchTest {
  static final Path HERE = Path.of("/home/ana/fleets");

  static <T> T parsed(Launch launch, String command, Class<T> type, String... args) {
    CommandLine cli = Main.commandLine(launch);
    String[] all = new String[args.length + 1];
    all[0] = command;
    System.arraycopy(args, 0, all, 1, args.length);
    cli.parseArgs(all);
    return type.cast(cli.getSubcommands().get(command).getCommand());
  }

  @Test
  void relativeRepoDataDirAndOutAreResolvedAgainstTheWorkingFolder() {
    RenderCommand render = parsed(new Launch(HERE, Map.of()), "render", RenderCommand.class,
        "--repo", "retail/../retail", "--data-dir", "./cache", "--site", "s", "--out", "out");

    assertThat(render.repo.repo.value()).isEqualTo("/home/ana/fleets/retail");
    assertThat(render.repo.dataDir).isEqualTo(Path.of("/home/ana/fleets/cache"));
    assertThat(render.out).isEqualTo(Path.of("/home/ana/fleets/out"));
  }

  @Test
  void absolutePathsAndUrlsStayAsTheyAre() {
    ValidateCommand validate = parsed(new Launch(HERE, Map.of()), "validate", ValidateCommand.class,
        "--repo", "git@git.example.com:retail/fleet.git", "--data-dir", "/var/lib/flotilla");

    assertThat(validate.repo.repo.value()).isEqualTo("git@git.example.com:retail/fleet.git");
    assertThat(validate.repo.dataDir).isEqualTo(Path.of("/var/lib/flotilla"));
  }

  @Test
  void theDefaultDataFolderIsUnderTheWorkingFolder() {
    ValidateCommand validate = parsed(new Launch(HERE, Map.of()), "validate", ValidateCommand.class, "--repo", "r");

    assertThat(validate.repo.dataDir).isEqualTo(Path.of("/home/ana/fleets/.flotilla"));
  }

  @Test
  void aRelativeDataFolderFromTheEnvironmentIsMadeAbsoluteToo() {
    ValidateCommand validate = parsed(new Launch(HERE, Map.of("FLOTILLA_DATA", "state")), "validate",
        ValidateCommand.class, "--repo", "r");

    assertThat(validate.repo.dataDir).isEqualTo(Path.of("/home/ana/fleets/state"));
  }

  @Test
  void newSiteDefaultsToTheWorkingFolderAsRepo() {
    CommandLine cli = Main.commandLine(new Launch(HERE, Map.of()));
    cli.parseArgs("new", "site", "store-1", "--tier", "pop");
    NewCommand.NewSite site = cli.getSubcommands().get("new").getSubcommands().get("site").getCommand();

    assertThat(site.repo).isEqualTo(HERE);
  }
}
