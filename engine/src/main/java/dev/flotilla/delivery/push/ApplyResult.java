package dev.flotilla.delivery.push;

import java.util.List;

/**
 * What one apply did at one site: the objects applied (in apply order), the objects deleted because
 * they left Git, and those that left Git but were kept because they are annotated {@code
 * flotilla.dev/prune: "false"} (Flotilla stops managing them).
 */
public record ApplyResult(List<ObjectRef> applied, List<ObjectRef> pruned, List<ObjectRef> kept) {
  public ApplyResult {
    applied = List.copyOf(applied);
    pruned = List.copyOf(pruned);
    kept = List.copyOf(kept);
  }
}
