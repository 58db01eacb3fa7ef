package dev.flotilla.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A render failed: kustomize could not be found or failed, its output was not YAML, or a site's
 * substitution could not be done. Carries whatever is known of where: the app, the overlay (a path
 * relative to the fleet repo root such as {@code apps/pos/overlays/edge}), the site, the object
 * ({@code Kind/namespace/name}), the variable, and kustomize's stderr; the message names them all.
 */
public final class RenderException extends Exception {
  /** The annotation that opts an object out of substitution, with the value {@code disabled} (as Flux's). */
  public static final String SUBSTITUTE_ANNOTATION = "flotilla.dev/substitute";

  private final String app;
  private final String overlay;
  private final String site;
  private final String object;
  private final String variable;
  private final String stderr;
  private final boolean invalidInput;

  /** A failure of the tools, not of the fleet repo; any of {@code app}, {@code overlay}, {@code site} and {@code stderr} may be null. */
  public RenderException(String reason, String app, String overlay, String site, String stderr) {
    this(reason, app, overlay, site, null, null, stderr, null, false);
  }

  private RenderException(
      String reason, String app, String overlay, String site, String object, String variable, String stderr,
      Throwable cause, boolean invalidInput) {
    super(message(reason, app, overlay, site, object, variable, stderr), cause);
    this.invalidInput = invalidInput;
    this.app = app;
    this.overlay = overlay;
    this.site = site;
    this.object = object;
    this.variable = variable;
    this.stderr = stderr == null ? "" : stderr;
  }

  static RenderException kustomizeFailed(String app, String overlay, int exitCode, String stderr) {
    return kustomizeFailed(app, overlay, exitCode, stderr, null);
  }

  /** {@code note}, when not null, says what the exit most likely means. */
  static RenderException kustomizeFailed(String app, String overlay, int exitCode, String stderr, String note) {
    return new RenderException("kustomize build failed with exit code " + exitCode + (note == null ? "" : ": " + note),
        app, overlay, null, null, null, stderr, null, true);
  }

  /** The overlay reads what it may not (outside the repo, an unpinned or unlisted remote, a file too large). */
  static RenderException refusedInputs(String app, String overlay, List<dev.flotilla.fleet.Problem> problems) {
    StringBuilder reason = new StringBuilder("refused before kustomize ran: the overlay reads what it may not");
    for (dev.flotilla.fleet.Problem p : problems) reason.append("\n  ").append(p);
    return new RenderException(reason.toString(), app, overlay, null, null, null, null, null, true);
  }

  static RenderException couldNotRun(String what, String app, String overlay, Exception cause) {
    return new RenderException(what + ": " + cause.getMessage(), app, overlay, null, null, null, null, cause, false);
  }

  static RenderException noKustomize(String detail) {
    return new RenderException("no kustomize found: " + detail + "; install kubectl 1.27+ (it embeds Kustomize v5)"
        + " or a standalone kustomize v5 binary on PATH, or set FLOTILLA_KUSTOMIZE / --kustomize to its path",
        null, null, null, null, null, null, null, false);
  }

  static RenderException undefinedVariable(String site, String app, String overlay, String object, String variable) {
    return new RenderException("variable ${" + variable + "} is not defined; set it in the site's spec.values"
        + " or give a default: ${" + variable + ":=value}", app, overlay, site, object, variable, null, null, true);
  }

  static RenderException unsupportedSubstitution(
      String site, String app, String overlay, String object, String variable, String reference) {
    return new RenderException(unsupportedReason(reference), app, overlay, site, object, variable, null, null, true);
  }

  static String unsupportedReason(String reference) {
    return reference + " is a shell form Flotilla does not substitute (only ${NAME}, ${NAME:=default} and"
        + " ${NAME:-default}); write $" + reference + " for the literal text, or annotate the object "
        + SUBSTITUTE_ANNOTATION + ": disabled";
  }

  static RenderException badOutput(String reason, String app, String overlay, String site, String object,
      Exception cause) {
    return new RenderException(reason + ": " + cause.getMessage(), app, overlay, site, object, null, null, cause, true);
  }

  static RenderException missingOverlay(String app, String overlay) {
    return new RenderException("the overlay folder does not exist", app, overlay, null, null, null, null, null, true);
  }

  /**
   * True when the fleet repo is at fault (kustomize refused the overlay, a variable is undefined,
   * an object is not valid YAML); false when a tool failed (no kustomize, a timeout, I/O).
   */
  public boolean invalidInput() {
    return invalidInput;
  }

  public Optional<String> app() {
    return Optional.ofNullable(app);
  }

  public Optional<String> overlay() {
    return Optional.ofNullable(overlay);
  }

  public Optional<String> site() {
    return Optional.ofNullable(site);
  }

  /** The object as {@code Kind/namespace/name}, when the failure belongs to one object. */
  public Optional<String> object() {
    return Optional.ofNullable(object);
  }

  /** The undefined variable, for a substitution failure. */
  public Optional<String> variable() {
    return Optional.ofNullable(variable);
  }

  /** Kustomize's stderr; empty when kustomize did not run or said nothing. */
  public String stderr() {
    return stderr;
  }

  private static String message(
      String reason, String app, String overlay, String site, String object, String variable, String stderr) {
    List<String> where = new ArrayList<>();
    if (site != null) where.add("site " + site);
    if (app != null) where.add("app " + app);
    if (overlay != null) where.add("overlay " + overlay);
    if (object != null) where.add("object " + object);
    if (variable != null) where.add("variable " + variable);
    StringBuilder m = new StringBuilder();
    if (!where.isEmpty()) m.append(String.join(", ", where)).append(": ");
    m.append(reason);
    if (stderr != null && !stderr.isBlank()) m.append("\nkustomize stderr:\n").append(stderr.strip());
    return m.toString();
  }
}
