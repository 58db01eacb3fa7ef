package dev.flotilla.cli;

/**
 * Text from a server, a fleet repo or a person, made safe to print on a terminal: control
 * characters (ESC and the rest of C0, DEL, C1 such as CSI, and line breaks inside a field) become
 * visible escapes ({@code \\e}, {@code \\n}, {@code \\u009b}), so nobody can clear the screen, set
 * the window title or forge lines of output through an actor, a comment or an error message.
 */
final class SafeText {
  private SafeText() {}

  /** {@code text} with every control character escaped; null stays null. */
  static String of(String text) {
    if (text == null) return null;
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String escape = escape(c);
      if (escape == null) {
        if (out != null) out.append(c);
        continue;
      }
      if (out == null) out = new StringBuilder(text.length() + 16).append(text, 0, i);
      out.append(escape);
    }
    return out == null ? text : out.toString();
  }

  /** Like {@link #of}, keeping the line breaks of a multi-line message (each line is still escaped). */
  static String lines(String text) {
    if (text == null) return null;
    String[] lines = text.split("\\n", -1);
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) out.append('\n');
      out.append(of(lines[i]));
    }
    return out.toString();
  }

  private static String escape(char c) {
    if (c == '\\') return null; // a backslash is printable; escapes are for reading, not for parsing back
    if (c == '\t') return "\\t";
    if (c == '\n') return "\\n";
    if (c == '\r') return "\\r";
    if (c == 0x1b) return "\\e";
    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) return String.format("\\u%04x", (int) c);
    // Bidirectional overrides and isolates reorder what is shown (a "Trojan Source" look-alike).
    if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return String.format("\\u%04x", (int) c);
    return null;
  }
}
