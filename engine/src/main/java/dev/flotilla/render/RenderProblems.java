package dev.flotilla.render;

import dev.flotilla.fleet.Problem;
import dev.flotilla.fleet.Site;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Collects the failures of a whole-fleet render and groups them into problems a person can fix:
 * the same undefined variable (or unsupported form) in the same place is one problem naming every site it hits, located
 * at the line of the overlay's input file that references it and the field of the object that
 * holds it. Not thread-safe: the renderer feeds it from one thread.
 */
final class RenderProblems {
  private static final int NAMED_SITES = 20;

  private record Place(String file, int line, String field, String reference, boolean undefined, String object) {
    static final Comparator<Place> ORDER = Comparator.comparing(Place::file).thenComparingInt(Place::line)
        .thenComparing(Place::field).thenComparing(Place::reference).thenComparing(Place::object);

    String message(String sites) {
      if (!undefined) {
        return reference + " at " + sites + " (object " + object + "): " + RenderException.unsupportedReason(reference);
      }
      String name = reference.substring(2, reference.length() - 1);
      return "variable " + reference + " is not defined at " + sites + " (object " + object
          + "); set it in the sites' spec.values or give a default: ${" + name + ":=value}";
    }
  }

  private final Path root;
  private final Map<Place, Set<String>> found = new TreeMap<>(Place.ORDER);
  private final List<Problem> others = new ArrayList<>();
  private final List<RenderException> toolFailures = new ArrayList<>();
  private final Map<String, Map<String, String>> inputs = new HashMap<>();

  RenderProblems(Path root) {
    this.root = root;
  }

  void overlayFailed(String overlay, RenderException e, List<Site> sites) {
    if (!e.invalidInput()) {
      toolFailures.add(e);
      return;
    }
    String reason = e.stderr().isBlank() ? e.getMessage() : "kustomize build failed: " + e.stderr().strip();
    others.add(new Problem(kustomizationFile(overlay), 1, "", "cannot render the overlay of app " + e.app().orElse("?")
        + " for " + sites(sites.stream().map(Site::name).toList()) + ": " + reason));
  }

  void siteFailed(RenderedOverlay overlay, Site site, RenderException e) {
    if (!e.invalidInput()) {
      toolFailures.add(e);
      return;
    }
    if (e.variable().isEmpty()) {
      others.add(new Problem(kustomizationFile(overlay.overlay()), 1, e.object().orElse(""), e.getMessage()));
      return;
    }
    Map<String, String> values = SiteStamper.variables(site);
    for (RenderedOverlay.ObjectTemplate object : overlay.objects()) {
      if (!object.hasVariables()) continue;
      for (Substitution.Issue issue : Substitution.issues(object.text(), values)) {
        for (String field : fieldsOrWhole(object, issue.reference())) {
          Place place = locate(overlay.overlay(), issue, field, object.id());
          found.computeIfAbsent(place, p -> new TreeSet<>()).add(site.name());
        }
      }
    }
  }

  List<Problem> problems() {
    List<Problem> all = new ArrayList<>(others);
    found.forEach((place, sites) ->
        all.add(new Problem(place.file(), place.line(), place.field(), place.message(sites(List.copyOf(sites))))));
    all.sort(Problem.ORDER);
    return all;
  }

  List<RenderException> toolFailures() {
    return List.copyOf(toolFailures);
  }

  private static List<String> fieldsOrWhole(RenderedOverlay.ObjectTemplate object, String reference) {
    List<String> fields = VariableUses.fields(object.tree(), reference);
    return fields.isEmpty() ? List.of("") : fields;
  }

  /** The first input file of the overlay (in path order) that references the variable, else its kustomization. */
  private Place locate(String overlay, Substitution.Issue issue, String field, String object) {
    for (Map.Entry<String, String> file : inputsOf(overlay).entrySet()) {
      int line = VariableUses.line(file.getValue(), issue.reference());
      if (line > 0) return new Place(file.getKey(), line, field, issue.reference(), issue.undefined(), object);
    }
    return new Place(kustomizationFile(overlay), 1, field, issue.reference(), issue.undefined(), object);
  }

  private Map<String, String> inputsOf(String overlay) {
    return inputs.computeIfAbsent(overlay, o -> {
      Map<String, String> texts = new LinkedHashMap<>();
      try {
        // The same walk the renderer makes: only files inside the fleet repo, never through a link that leaves it.
        var jail = dev.flotilla.fleet.RepoJail.of(root);
        var walked = dev.flotilla.fleet.OverlayInputs.of(jail, jail.root().resolve(o), java.util.Set.of(), dev.flotilla.fleet.ReadLimits.DEFAULT);
        for (Map.Entry<String, Path> file : walked.files().entrySet()) {
          texts.put(file.getKey(), Files.readString(file.getValue()));
        }
      } catch (IOException | java.io.UncheckedIOException e) {
        // Unreadable or not text: the problem is then placed at the overlay's kustomization.
      }
      return texts;
    });
  }

  private String kustomizationFile(String overlay) {
    for (String name : dev.flotilla.fleet.OverlayInputs.KUSTOMIZATION_FILES) {
      if (Files.isRegularFile(root.resolve(overlay).resolve(name))) return overlay + "/" + name;
    }
    return overlay + "/kustomization.yaml";
  }

  private static String sites(List<String> names) {
    String listed = String.join(", ", names.subList(0, Math.min(NAMED_SITES, names.size())));
    String more = names.size() > NAMED_SITES ? " and " + (names.size() - NAMED_SITES) + " more" : "";
    return names.size() + (names.size() == 1 ? " site: " : " sites: ") + listed + more;
  }
}
