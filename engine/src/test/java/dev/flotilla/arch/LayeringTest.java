package dev.flotilla.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point inward: the core (fleet model, planner, rollout state machine, health
 * verdicts, drift) knows no adapter, and the application layer ({@code engine}) reaches the HTTP
 * layer and the database through nothing but its own service interface and store ports.
 */
class LayeringTest {
  private static final String[] ADAPTERS = {
    "dev.flotilla.render..", "dev.flotilla.git..", "dev.flotilla.cli..", "dev.flotilla.app..",
    "dev.flotilla.store..", "dev.flotilla.delivery..", "dev.flotilla.bundle..", "dev.flotilla.agent..",
    "dev.flotilla.provider..", "dev.flotilla.schedule..", "dev.flotilla.api..", "dev.flotilla.scaffold..",
    "dev.flotilla.bench..",
    "org.eclipse.jgit..", "io.fabric8..", "java.net.http..", "java.sql.."
  };

  private final JavaClasses classes =
      new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.flotilla");

  @Test
  void coreImportsNoAdapter() {
    noClasses().that().resideInAnyPackage("dev.flotilla.fleet..", "dev.flotilla.plan..", "dev.flotilla.rollout..", "dev.flotilla.health..", "dev.flotilla.drift..")
        .should().dependOnClassesThat().resideInAnyPackage(ADAPTERS)
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void coreStartsNoProcessAndOpensNoSocket() {
    noClasses().that().resideInAnyPackage("dev.flotilla.fleet..", "dev.flotilla.plan..", "dev.flotilla.rollout..", "dev.flotilla.health..", "dev.flotilla.drift..")
        .should().dependOnClassesThat().haveFullyQualifiedName("java.lang.ProcessBuilder")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.Socket")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void engineImportsNeitherTheHttpLayerNorTheStore() {
    noClasses().that().resideInAPackage("dev.flotilla.engine..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.flotilla.api..", "dev.flotilla.store..", "java.sql..", "javax.sql..")
        .because("the engine owns its service, errors and read models, and reaches the database only through its store ports")
        .check(classes);
  }

  @Test
  void storePortsKnowOnlyTheCore() {
    classes().that().resideInAPackage("dev.flotilla.engine.port..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("dev.flotilla.engine.port..", "dev.flotilla.rollout..",
            "dev.flotilla.fleet..", "dev.flotilla.drift..", "java..")
        .because("a port says what the engine needs, not how an adapter does it")
        .check(classes);
  }
}
