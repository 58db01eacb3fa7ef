package dev.flotilla.delivery.pull;

/**
 * What an agent says about its trust store with its reports: the version of the trust document it
 * has accepted, and why the last update it was offered was refused ({@code problem}, null when
 * none was), so the engine can show which sites really took a key rotation.
 */
public record SiteTrust(int version, String problem) {
  public static final int MAX_PROBLEM = 2000;

  public SiteTrust {
    if (version < 1) throw new IllegalArgumentException("a trust version starts at 1, got " + version);
    if (problem != null && problem.isBlank()) problem = null;
    if (problem != null && problem.length() > MAX_PROBLEM) problem = problem.substring(0, MAX_PROBLEM);
  }
}
