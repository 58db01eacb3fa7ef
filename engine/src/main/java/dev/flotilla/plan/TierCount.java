package dev.flotilla.plan;

/** How many sites of one tier a wave holds, and how many of them the change reaches. */
public record TierCount(String tier, int sites, int changing) {

  /** "2,900 sites, 2,400 change" (a lone changing site "changes"). */
  public String counts() {
    return PlanWords.counts(sites, changing);
  }
}
