package dev.flotilla.cli;

import dev.flotilla.app.Workspace;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The defaults of options that the environment can set. They go through the same converters as
 * the command line, so a relative {@code FLOTILLA_DATA} is made absolute like a relative {@code
 * --data-dir}.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {
  static final String DEFAULT_DATA_DIR = ".flotilla";
  static final String TEMPLATES_ENV = "FLOTILLA_TEMPLATES";

  private final Launch launch;

  EnvironmentDefaults(Launch launch) {
    this.launch = launch;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option)) return null;
    return switch (option.longestName()) {
      case "--data-dir" -> {
        String fromEnv = launch.env(Workspace.DATA_ENV);
        yield fromEnv != null ? fromEnv : DEFAULT_DATA_DIR;
      }
      case "--templates" -> launch.env(TEMPLATES_ENV);
      default -> null;
    };
  }
}
