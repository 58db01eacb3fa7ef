package dev.flotilla.provider;

import java.util.Locale;

/** The state of a commit status, as GitHub's status API spells it ({@code pending}, {@code success}, ...). */
public enum CommitState {
  PENDING,
  SUCCESS,
  FAILURE,
  ERROR;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CommitState fromWire(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }
}
