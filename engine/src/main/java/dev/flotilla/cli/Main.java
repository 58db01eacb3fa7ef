package dev.flotilla.cli;

import dev.flotilla.app.StartRefusedException;
import dev.flotilla.bundle.BundleException;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.fleet.Problem;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.render.RenderException;
import dev.flotilla.scaffold.ScaffoldException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/** The {@code flotilla} command line: one jar, several roles. */
@Command(name = "flotilla", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "flotilla 0.1.0",
    description = "GitOps rollout pipeline engine for wide, tiered, often offline Kubernetes fleets.",
    subcommands = {ValidateCommand.class, RenderCommand.class, PlanCommand.class, SitesCommand.class,
        InitCommand.class, NewCommand.class, ServeCommand.class, RolloutCommand.class, BenchCommand.class, DemoCommand.class,
        KeysCommand.class, BundleCommand.class, DiffCommand.class, SiteTokenCommand.class, AgentCommand.class, TokensCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
  public static int run(String... args) {
    return run(Launch.ofThisProcess(), args);
  }

  /** Runs the CLI as if started in {@code launch}'s working folder with its environment. */
  static int run(Launch launch, String... args) {
    return commandLine(launch).execute(args);
  }

  /** The command tree, with every path option made absolute against the launch's working folder. */
  static CommandLine commandLine(Launch launch) {
    CommandLine cli = new CommandLine(new Main());
    cli.registerConverter(Path.class, launch::absolute);
    cli.registerConverter(RepoLocation.class, launch::repoLocation);
    cli.setDefaultValueProvider(new EnvironmentDefaults(launch));
    cli.setExecutionExceptionHandler(Main::report);
    cli.setParameterExceptionHandler(Main::invalidArguments);
    return cli;
  }

  /**
   * Picocli checks required options before it complains about unknown ones, so {@code validate
   * --rpo x} would only say that {@code --repo} is missing: an unknown option is reported first,
   * with the options within a few edits of it ({@link Suggestions}). A mistyped command keeps
   * picocli's own message and suggestions.
   */
  private static int invalidArguments(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    List<String> unknown = cmd.getUnmatchedArguments();
    List<String> options = unknown.isEmpty() || !unknown.get(0).startsWith("-") ? List.of()
        : unknown.stream().filter(a -> a.startsWith("-")).toList();
    if (!options.isEmpty()) {
      for (String option : options) {
        err.println("Unknown option: '" + option + "'");
        List<String> near = Suggestions.forOption(cmd.getCommandSpec(), option);
        if (!near.isEmpty()) err.println("Did you mean: " + String.join(" or ", near) + "?");
      }
    } else {
      err.println(e.getMessage());
      if (!UnmatchedArgumentException.printSuggestions(e, err)) cmd.usage(err);
    }
    err.println("See '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** Turns the domain's checked exceptions into one clear message and an exit code. */
  private static int report(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    var err = cmd.getErr();
    if (e instanceof FleetValidationException invalid) {
      invalid.problems().stream().map(Problem::toString).map(SafeText::of).forEach(err::println);
      err.printf("invalid fleet repo: %d problem(s); run flotilla validate for details%n", invalid.problems().size());
      return ExitCodes.INVALID;
    }
    if (e instanceof GitSyncException || e instanceof RenderException || e instanceof ScaffoldException
        || e instanceof BundleException || e instanceof dev.flotilla.delivery.push.ApplyException
        || e instanceof dev.flotilla.delivery.push.ManifestException) {
      err.println("flotilla: " + SafeText.lines(e.getMessage()));
      return ExitCodes.FAILED;
    }
    if (e instanceof StartRefusedException) {
      err.println("flotilla: " + cmd.getCommandName() + ": " + SafeText.of(e.getMessage()));
      return ExitCodes.INVALID;
    }
    if (e instanceof java.io.IOException || e instanceof StoreException) {
      err.println("flotilla: " + cmd.getCommandName() + ": " + SafeText.lines(e.getMessage()));
      return ExitCodes.FAILED;
    }
    err.println("flotilla: " + cmd.getCommandName() + " failed: " + SafeText.of(e.toString()));
    // A stack trace is for the people who build Flotilla, not for its users.
    if (System.getenv("FLOTILLA_DEBUG") != null) e.printStackTrace(err);
    else err.println("(set FLOTILLA_DEBUG=1 to see where)");
    return ExitCodes.FAILED;
  }
}
