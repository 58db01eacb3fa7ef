package dev.flotilla.cli;

import dev.flotilla.scaffold.FleetScaffold;
import dev.flotilla.scaffold.ScaffoldException;
import dev.flotilla.scaffold.Templates;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "new", description = "Adds a site or an app to a fleet repo folder from templates/new.",
    subcommands = {NewCommand.NewSite.class, NewCommand.NewApp.class})
final class NewCommand {

  @Command(name = "site", description = "Writes sites/<NAME>.yaml.")
  static final class NewSite implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Option(names = "--repo", paramLabel = "DIR", defaultValue = ".", description = "Fleet repo folder (default: .).") Path repo;
    @Option(names = "--tier", required = true, paramLabel = "TIER") String tier;
    @Option(names = "--timezone", paramLabel = "ZONE", description = "IANA time zone (default: UTC).") String timezone = "UTC";
    @Option(names = "--templates", paramLabel = "DIR") Path templates;

    @Override
    public Integer call() throws ScaffoldException {
      Path file = new FleetScaffold(Templates.locate(templates)).newSite(repo, name, tier, timezone);
      System.out.println("wrote " + file);
      return ExitCodes.OK;
    }
  }

  @Command(name = "app", description = "Writes apps/<NAME>/ with app.yaml, a base and one overlay per tier.")
  static final class NewApp implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Option(names = "--repo", paramLabel = "DIR", defaultValue = ".", description = "Fleet repo folder (default: .).") Path repo;
    @Option(names = "--policy", required = true, paramLabel = "POLICY") String policy;
    @Option(names = "--tiers", required = true, split = ",", paramLabel = "TIER") List<String> tiers;
    @Option(names = "--templates", paramLabel = "DIR") Path templates;

    @Override
    public Integer call() throws ScaffoldException {
      Path dir = new FleetScaffold(Templates.locate(templates)).newApp(repo, name, policy, tiers);
      System.out.println("wrote " + dir);
      return ExitCodes.OK;
    }
  }
}
