package dev.flotilla.delivery.push;

import dev.flotilla.fleet.ApplyOptions;
import dev.flotilla.fleet.BlueGreen;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How one app is applied: whether Flotilla takes fields over from other field managers ({@code
 * forceConflicts}), whether an empty render may delete everything applied before ({@code
 * allowEmpty}), which fields it leaves to other controllers, and how long a CRD may take to be
 * established before its custom resources are applied; {@code blueGreen} when the app's policy takes
 * releases blue/green (null: in place).
 */
public record ApplySettings(boolean forceConflicts, boolean allowEmpty, List<IgnoredField> ignoredFields, Duration crdTimeout,
    BlueGreen blueGreen) {
  public static final ApplySettings DEFAULTS = new ApplySettings(false, false, List.of(), Duration.ofSeconds(60), null);

  public ApplySettings {
    ignoredFields = List.copyOf(ignoredFields);
    Objects.requireNonNull(crdTimeout, "crdTimeout");
  }

  public ApplySettings(boolean forceConflicts, boolean allowEmpty, List<IgnoredField> ignoredFields, Duration crdTimeout) {
    this(forceConflicts, allowEmpty, ignoredFields, crdTimeout, null);
  }

  /** The settings of an app declared with {@code options} in the fleet repo (and the default CRD timeout). */
  public static ApplySettings of(ApplyOptions options) {
    return DEFAULTS.withForceConflicts(options.forceConflicts()).withAllowEmpty(options.allowEmpty())
        .withIgnoredFields(options.ignoreFields().stream().map(f -> new IgnoredField(f.kind(), f.name(), f.path())).toList())
        .withBlueGreen(options.blueGreen());
  }

  public ApplySettings withForceConflicts(boolean force) {
    return new ApplySettings(force, allowEmpty, ignoredFields, crdTimeout, blueGreen);
  }

  public ApplySettings withAllowEmpty(boolean allow) {
    return new ApplySettings(forceConflicts, allow, ignoredFields, crdTimeout, blueGreen);
  }

  public ApplySettings withIgnoredFields(List<IgnoredField> fields) {
    return new ApplySettings(forceConflicts, allowEmpty, fields, crdTimeout, blueGreen);
  }

  public ApplySettings withBlueGreen(BlueGreen strategy) {
    return new ApplySettings(forceConflicts, allowEmpty, ignoredFields, crdTimeout, strategy);
  }

  public ApplySettings withCrdTimeout(Duration timeout) {
    return new ApplySettings(forceConflicts, allowEmpty, ignoredFields, timeout, blueGreen);
  }
}
