package dev.flotilla.delivery.push;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what the client library threw into an {@link ApplyException} a person can act on: the API
 * server's message, the field it named, for a conflict the other field manager, and whether the
 * server was reached at all.
 */
final class ApiErrors {
  private static final Pattern MANAGER = Pattern.compile("conflicts? with \"([^\"]+)\"");
  private static final Pattern FIELD_LINE = Pattern.compile("(?m)(?:: |^- )(\\.[^\\s]+)");

  private ApiErrors() {}

  static ApplyException of(String site, String object, String doing, KubernetesClientException e) {
    if (e.getCode() == 0 || unreachable(e)) {
      return new ApplyException(site, object, "", "API server unreachable while " + doing + ": " + rootMessage(e),
          ApplyException.Cause.UNREACHABLE, e);
    }
    Status status = e.getStatus();
    String message = status != null && status.getMessage() != null ? status.getMessage() : e.getMessage();
    List<StatusCause> causes = status != null && status.getDetails() != null && status.getDetails().getCauses() != null
        ? status.getDetails().getCauses() : List.of();
    if (e.getCode() == 409 && message.contains("conflict")) return conflict(site, object, message, causes, e);
    String field = causes.stream().map(StatusCause::getField).filter(f -> f != null && !f.isEmpty()).findFirst().orElse("");
    return new ApplyException(site, object, field, "API server refused " + doing + " (HTTP " + e.getCode() + "): " + message,
        ApplyException.Cause.REJECTED, e);
  }

  private static ApplyException conflict(String site, String object, String message, List<StatusCause> causes,
      KubernetesClientException e) {
    Set<String> managers = new LinkedHashSet<>();
    List<String> fields = new ArrayList<>();
    for (StatusCause c : causes) {
      if (c.getMessage() != null) find(MANAGER, c.getMessage(), managers);
      if (c.getField() != null && !c.getField().isEmpty()) fields.add(c.getField());
    }
    if (managers.isEmpty()) find(MANAGER, message, managers);
    if (fields.isEmpty()) {
      Set<String> found = new LinkedHashSet<>();
      find(FIELD_LINE, message, found);
      fields.addAll(found);
    }
    String reason = "conflict with field manager " + String.join(", ", managers.stream().map(m -> "\"" + m + "\"").toList())
        + " on " + (fields.isEmpty() ? "some fields" : String.join(", ", fields))
        + "; the app does not force conflicts (forceConflicts: true takes the fields over)";
    return new ApplyException(site, object, String.join(", ", fields), reason, ApplyException.Cause.CONFLICT, e);
  }

  private static void find(Pattern pattern, String text, Set<String> into) {
    Matcher m = pattern.matcher(text);
    while (m.find()) into.add(m.group(1));
  }

  private static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof TimeoutException) return true;
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String m = root.getMessage();
    return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
