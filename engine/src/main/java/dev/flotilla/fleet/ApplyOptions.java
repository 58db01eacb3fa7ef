package dev.flotilla.fleet;

import java.util.List;

/**
 * How an app is applied at push sites (and by agents): whether Flotilla takes fields over from
 * other field managers ({@code forceConflicts}), whether an empty render may delete everything
 * applied before ({@code allowEmpty}), the fields it leaves to other controllers, and whether a push
 * site whose cluster drifted from the release gets it re-applied ({@code selfHeal}; else drift is
 * only shown).
 */
public record ApplyOptions(boolean forceConflicts, boolean allowEmpty, List<IgnoredField> ignoreFields, boolean selfHeal) {
  public static final ApplyOptions DEFAULTS = new ApplyOptions(false, false, List.of(), false);

  public ApplyOptions {
    ignoreFields = List.copyOf(ignoreFields);
  }

  /** Options without self-heal (the default). */
  public ApplyOptions(boolean forceConflicts, boolean allowEmpty, List<IgnoredField> ignoreFields) {
    this(forceConflicts, allowEmpty, ignoreFields, false);
  }
}
