package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HelpTest {
  static final Launch LAUNCH = new Launch(Path.of("/tmp"), Map.of());

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    CommandLine cli = Main.commandLine(LAUNCH);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** Every command and subcommand, as the words that name it ("rollout status"). */
  static Stream<String> everyCommand() {
    List<String> names = new ArrayList<>();
    collect(Main.commandLine(LAUNCH), "", names);
    return names.stream();
  }

  private static void collect(CommandLine cmd, String prefix, List<String> names) {
    for (var sub : cmd.getSubcommands().entrySet()) {
      String name = (prefix + " " + sub.getKey()).strip();
      names.add(name);
      collect(sub.getValue(), name, names);
    }
  }

  @ParameterizedTest
  @MethodSource("everyCommand")
  void helpWorksWithoutOtherOptionsAndExitsZero(String command) {
    List<String> args = new ArrayList<>(List.of(command.split(" ")));
    args.add("--help");

    Run r = run(args.toArray(String[]::new));

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("Usage: flotilla " + command);
    assertThat(r.err()).isEmpty();
  }

  @Test
  void everyCommandIsCovered() {
    assertThat(everyCommand()).contains("validate", "new site", "new app", "bench render", "rollout status", "demo");
  }

  @Test
  void topLevelHelpShowsWholeDescriptions() {
    Run r = run("--help");
    String flat = r.out().replaceAll("\\s+", " ");

    CommandLine cli = Main.commandLine(LAUNCH);
    for (CommandLine sub : cli.getSubcommands().values()) {
      String description = String.join(" ", sub.getCommandSpec().usageMessage().description()).replaceAll("\\s+", " ");
      assertThat(flat).as(sub.getCommandName()).contains(description);
    }
  }

  @Test
  void aMistypedOptionIsNamedWithWhatWasMeant() {
    Run r = run("validate", "--rpo", "x");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Unknown option: '--rpo'", "Did you mean: --repo");
    assertThat(r.err()).doesNotContain("Missing required option");
  }

  @Test
  void aMistypedCommandIsNamedWithWhatWasMeant() {
    Run r = run("valdate", "--repo", ".");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("validate");
  }

  @Test
  void aMissingRequiredOptionIsStillReported() {
    Run r = run("validate");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option: '--repo=PATH_OR_URL'");
  }

  @Test
  void distanceCountsASwapOfNeighboursAsOneEdit() {
    assertThat(Suggestions.distance("--rpeo", "--repo")).isEqualTo(1);
    assertThat(Suggestions.distance("--rpo", "--repo")).isEqualTo(1);
    assertThat(Suggestions.distance("--site", "--repo")).isGreaterThan(2);
  }
}
