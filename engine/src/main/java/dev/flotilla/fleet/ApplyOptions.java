package dev.flotilla.fleet;

import java.util.List;

/**
 * How an app is applied at push sites (and by agents): whether Flotilla takes fields over from
 * other field managers ({@code forceConflicts}), whether an empty render may delete everything
 * applied before ({@code allowEmpty}), and the fields it leaves to other controllers.
 */
public record ApplyOptions(boolean forceConflicts, boolean allowEmpty, List<IgnoredField> ignoreFields) {
  public static final ApplyOptions DEFAULTS = new ApplyOptions(false, false, List.of());

  public ApplyOptions {
    ignoreFields = List.copyOf(ignoreFields);
  }
}
