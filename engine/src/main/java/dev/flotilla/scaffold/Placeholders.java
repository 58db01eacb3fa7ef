package dev.flotilla.scaffold;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the scaffold placeholders {@code __NAME__}, {@code __TIER__}, ... in template text and
 * file names. They are deliberately unlike {@code ${NAME}}, which is Flotilla's per-site runtime
 * substitution and must pass through the templates untouched.
 */
final class Placeholders {
  private static final Pattern LEFTOVER = Pattern.compile("__[A-Z][A-Z0-9_]*__");

  private final Map<String, String> values = new LinkedHashMap<>();

  Placeholders with(String key, String value) {
    values.put("__" + key + "__", value);
    return this;
  }

  /** The text with every known placeholder replaced; an unknown one left over is an error. */
  String fill(String text, Path source) throws ScaffoldException {
    String out = text;
    for (Map.Entry<String, String> e : values.entrySet()) {
      out = out.replace(e.getKey(), e.getValue());
    }
    Matcher m = LEFTOVER.matcher(out);
    if (m.find()) {
      throw new ScaffoldException(source, "unknown placeholder " + m.group() + "; known: " + String.join(", ", values.keySet()));
    }
    return out;
  }
}
