package dev.flotilla.delivery.push;

/**
 * A rendered object cannot be applied as it stands (an annotation that is not a number, a body that
 * is not an object): a mistake in the fleet repo, found before anything is sent. Names the object
 * and the field.
 */
public final class ManifestException extends Exception {
  private final String object;
  private final String field;

  ManifestException(String object, String field, String reason) {
    super(object + ": " + field + ": " + reason);
    this.object = object;
    this.field = field;
  }

  /** {@code Kind/namespace/name} of the object. */
  public String object() {
    return object;
  }

  public String field() {
    return field;
  }
}
