package dev.flotilla.fleet;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The fleet-wide settings from {@code fleet.yaml}: the ordered tiers, windows and freezes, the
 * hosts that kustomizations may fetch remote resources from (none by default), and who must sign
 * the revisions that are rolled out (nobody by default).
 */
public record Fleet(
    String name, List<Tier> tiers, Map<String, Window> windows, List<Freeze> freezes, Set<String> remoteHosts,
    Optional<SignedCommits> requireSignedCommits) {
  public Fleet {
    Objects.requireNonNull(name, "name");
    tiers = List.copyOf(tiers);
    windows = Map.copyOf(windows == null ? Map.of() : windows);
    freezes = List.copyOf(freezes == null ? List.of() : freezes);
    remoteHosts = Set.copyOf(remoteHosts == null ? Set.of() : remoteHosts);
    requireSignedCommits = requireSignedCommits == null ? Optional.empty() : requireSignedCommits;
  }

  /** A fleet that requires no signed commits. */
  public Fleet(String name, List<Tier> tiers, Map<String, Window> windows, List<Freeze> freezes, Set<String> remoteHosts) {
    this(name, tiers, windows, freezes, remoteHosts, Optional.empty());
  }

  /** A fleet whose kustomizations fetch nothing remote. */
  public Fleet(String name, List<Tier> tiers, Map<String, Window> windows, List<Freeze> freezes) {
    this(name, tiers, windows, freezes, Set.of());
  }

  public Optional<Tier> tier(String tierName) {
    return tiers.stream().filter(t -> t.name().equals(tierName)).findFirst();
  }
}
