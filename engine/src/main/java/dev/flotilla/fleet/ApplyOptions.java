package dev.flotilla.fleet;

import java.util.List;

/**
 * How an app is applied at push sites (and by agents): whether Flotilla takes fields over from
 * other field managers ({@code forceConflicts}), whether an empty render may delete everything
 * applied before ({@code allowEmpty}), the fields it leaves to other controllers, and whether a push
 * site whose cluster drifted from the release gets it re-applied ({@code selfHeal}; else drift is
 * only shown), and whether push sites take it blue/green ({@code blueGreen}, from the app's policy;
 * null: in place).
 */
public record ApplyOptions(boolean forceConflicts, boolean allowEmpty, List<IgnoredField> ignoreFields, boolean selfHeal,
    BlueGreen blueGreen) {
  public static final ApplyOptions DEFAULTS = new ApplyOptions(false, false, List.of(), false, null);

  public ApplyOptions {
    ignoreFields = List.copyOf(ignoreFields);
  }

  /** Options without self-heal (the default). */
  public ApplyOptions(boolean forceConflicts, boolean allowEmpty, List<IgnoredField> ignoreFields) {
    this(forceConflicts, allowEmpty, ignoreFields, false, null);
  }

  /** Options as an app declares them, taken in place. */
  public ApplyOptions(boolean forceConflicts, boolean allowEmpty, List<IgnoredField> ignoreFields, boolean selfHeal) {
    this(forceConflicts, allowEmpty, ignoreFields, selfHeal, null);
  }

  /** These options with the blue/green strategy of the app's policy (null: in place). */
  public ApplyOptions withBlueGreen(BlueGreen strategy) {
    return new ApplyOptions(forceConflicts, allowEmpty, ignoreFields, selfHeal, strategy);
  }
}
