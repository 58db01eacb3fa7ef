package dev.flotilla.drift;

/**
 * One field whose live value differs from the desired one: {@code path} like {@code
 * spec.template.spec.containers[0].image}; {@code live} is null when the field is missing.
 */
public record FieldDrift(String path, Object desired, Object live) {
  @Override
  public String toString() {
    return path + ": want " + desired + ", live " + (live == null ? "(missing)" : live);
  }
}
