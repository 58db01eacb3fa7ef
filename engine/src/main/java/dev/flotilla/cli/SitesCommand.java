package dev.flotilla.cli;

import dev.flotilla.fleet.FleetLoader;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.fleet.SelectorExpression;
import dev.flotilla.fleet.Site;
import dev.flotilla.fleet.SiteSelector;
import dev.flotilla.git.FleetRepoSource;
import dev.flotilla.git.GitSyncException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sites", description = "Lists the fleet's sites with tier, delivery, time zone and labels.")
final class SitesCommand implements Callable<Integer> {
  @Mixin RepoOptions repo;

  @Option(names = {"--selector", "-l"}, paramLabel = "EXPR",
      description = "A label selector as kubectl takes it, e.g. 'region=eu-west,flotilla.dev/tier in (pop,edge)'.")
  String selector;

  @Option(names = "--rev", paramLabel = "REV", description = "Revision (default: the folder as it is, or the default branch of a URL).")
  String rev;

  @Override
  public Integer call() throws GitSyncException, FleetValidationException {
    SiteSelector filter;
    try {
      filter = selector == null ? SiteSelector.ALL : SelectorExpression.parse(selector);
    } catch (IllegalArgumentException e) {
      System.err.println("flotilla: --selector: " + SafeText.of(e.getMessage()));
      return ExitCodes.INVALID;
    }
    try (FleetRepoSource source = repo.open()) {
      FleetModel model = FleetLoader.load(source.snapshot(rev).root());
      List<Site> sites = model.sites().stream().filter(filter::matches).toList();
      int width = Math.max(4, sites.stream().mapToInt(s -> s.name().length()).max().orElse(4));
      int tierWidth = Math.max(4, model.fleet().tiers().stream().mapToInt(t -> t.name().length()).max().orElse(4));
      String row = "%-" + width + "s  %-" + tierWidth + "s  %-8s  %-20s  %s%n";
      System.out.printf(row, "NAME", "TIER", "DELIVERY", "TIMEZONE", "LABELS");
      for (Site s : sites) {
        System.out.printf(row, SafeText.of(s.name()), SafeText.of(s.tier()), s.delivery().word(), SafeText.of(s.timezone().getId()),
            SafeText.of(labels(s.labels())));
      }
      System.err.printf("%d of %d sites%n", sites.size(), model.sites().size());
      return ExitCodes.OK;
    }
  }

  private static String labels(Map<String, String> labels) {
    return labels.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }
}
