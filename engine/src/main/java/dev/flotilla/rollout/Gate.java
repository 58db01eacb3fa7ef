package dev.flotilla.rollout;

import java.util.Locale;

/** The gates a wave may have before the next wave starts, in the order they are checked. */
public enum Gate {
  HEALTH,
  SOAK,
  APPROVAL,
  CI,
  ANALYSIS,
  WINDOW;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
