package dev.flotilla.delivery.push;

import dev.flotilla.drift.FieldDrift;
import java.util.List;
import java.util.Map;

/**
 * What applying an app to a site would do, found by a server-side dry run without changing
 * anything: objects created, objects changed (with their fields), objects unchanged, objects that
 * would be pruned, and objects that left Git but are kept ({@code flotilla.dev/prune: "false"}).
 */
public record ApplyPreview(
    List<ObjectRef> created,
    Map<ObjectRef, List<FieldDrift>> changed,
    List<ObjectRef> unchanged,
    List<ObjectRef> deleted,
    List<ObjectRef> kept) {
  public ApplyPreview {
    created = List.copyOf(created);
    changed = Map.copyOf(changed);
    unchanged = List.copyOf(unchanged);
    deleted = List.copyOf(deleted);
    kept = List.copyOf(kept);
  }

  public boolean changesNothing() {
    return created.isEmpty() && changed.isEmpty() && deleted.isEmpty();
  }
}
