package dev.flotilla.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The bundle package is shared by the engine (which publishes bundles) and the agent (which runs
 * on an edge gateway with minimal wiring): it must not pull in the engine, its store, scheduler,
 * HTTP server, Git or kustomize.
 */
class BundleLayeringTest {
  private final JavaClasses classes =
      new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.flotilla.bundle");

  @Test
  void bundleImportsNothingOfTheEngine() {
    noClasses().that().resideInAPackage("dev.flotilla.bundle..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "dev.flotilla.engine..", "dev.flotilla.store..", "dev.flotilla.schedule..", "dev.flotilla.api..", "dev.flotilla.app..",
            "dev.flotilla.rollout..", "dev.flotilla.delivery..", "dev.flotilla.git..", "dev.flotilla.render..", "dev.flotilla.cli..",
            "dev.flotilla.bench..", "org.quartz..", "io.javalin..", "org.eclipse.jgit..", "java.sql..")
        .check(classes);
  }
}
