package dev.flotilla.cli;

import dev.flotilla.scaffold.FleetScaffold;
import dev.flotilla.scaffold.ScaffoldException;
import dev.flotilla.scaffold.Templates;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "init", description = "Makes a new fleet repo (a Git repository with one commit) from a template.")
final class InitCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "A new or empty folder.")
  Path dir;

  @Option(names = "--template", required = true, paramLabel = "NAME", description = "four-tier or two-tier (see templates/).")
  String template;

  @Option(names = "--templates", paramLabel = "DIR", description = "Templates folder (default: $FLOTILLA_TEMPLATES, else next to the jar).")
  Path templates;

  @Override
  public Integer call() throws ScaffoldException {
    String commit = new FleetScaffold(Templates.locate(templates)).init(template, dir);
    System.out.printf("initialised %s from template %s (commit %s)%n", dir, template, commit);
    System.out.printf("next: ./flotilla validate --repo %s%n", dir);
    return ExitCodes.OK;
  }
}
