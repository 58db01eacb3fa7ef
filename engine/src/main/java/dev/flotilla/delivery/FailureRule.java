package dev.flotilla.delivery;

import dev.flotilla.render.Manifest;
import java.util.Optional;

/** A commanded failure: which releases a simulated site fails to apply, and the message it reports. */
sealed interface FailureRule {

  /** The failure message when the rule fails this release, empty when it does not. */
  Optional<String> failureOf(SiteRelease release);

  /** Fails any release whose manifests contain the text, typically an image tag. */
  record ManifestsContain(String text) implements FailureRule {
    @Override
    public Optional<String> failureOf(SiteRelease release) {
      for (Manifest m : release.desired().manifests()) {
        if (m.yaml().contains(text)) {
          return Optional.of("apply failed: " + m.id() + " contains '" + text + "' (simulated failure)");
        }
      }
      return Optional.empty();
    }
  }

  /** Fails one revision (of any app) at one site. */
  record RevisionAtSite(String site, String revision) implements FailureRule {
    @Override
    public Optional<String> failureOf(SiteRelease release) {
      if (release.site().name().equals(site) && release.revision().equals(revision)) {
        return Optional.of("apply failed: revision " + revision + " fails at site " + site + " (simulated failure)");
      }
      return Optional.empty();
    }
  }
}
