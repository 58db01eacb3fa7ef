package dev.flotilla.fleet;

import java.util.regex.Pattern;

/** Kubernetes naming rules that fleet repo names and labels follow. */
public final class Names {
  private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern VARIABLE = Pattern.compile("[_a-zA-Z][_a-zA-Z0-9]*");

  private static final int SHOWN = 80;

  private Names() {}

  /**
   * The text as a message quotes it: at most 80 characters, then how many more. A value may be a
   * megabyte long; a message stays readable.
   */
  public static String shorten(String text) {
    if (text.length() <= SHOWN) return text;
    return text.substring(0, SHOWN) + "… (" + (text.length() - SHOWN) + " more characters)";
  }

  /** Null when {@code host} is a lower-case DNS host name such as github.com, else what is wrong. */
  public static String checkHostName(String host) {
    if (host.length() > 253 || !DNS1123_SUBDOMAIN.matcher(host).matches()) {
      return "'" + shorten(host) + "' is not a host name in lower case such as github.com (no scheme, port or path)";
    }
    return null;
  }

  /** Null when valid, else what is wrong. */
  public static String checkDns1123Label(String name) {
    if (name.length() > 63) return "must be at most 63 characters, got " + name.length();
    if (!DNS1123_LABEL.matcher(name).matches()) {
      return "'" + name + "' is not a DNS-1123 label (lower case letters, digits and '-', starting and ending"
          + " with a letter or digit)";
    }
    return null;
  }

  public static String checkLabelKey(String key) {
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      if (prefix.length() > 253 || !DNS1123_SUBDOMAIN.matcher(prefix).matches()) {
        return "label key prefix '" + prefix + "' is not a DNS-1123 subdomain";
      }
    }
    if (name.isEmpty() || name.length() > 63 || !LABEL_NAME.matcher(name).matches()) {
      return "label key '" + key + "' is not valid (name part: at most 63 characters, alphanumerics, '-', '_'"
          + " or '.', starting and ending alphanumeric)";
    }
    return null;
  }

  public static String checkLabelValue(String value) {
    if (value.isEmpty()) return null;
    if (value.length() > 63 || !LABEL_NAME.matcher(value).matches()) {
      return "label value '" + value + "' is not valid (at most 63 characters, alphanumerics, '-', '_' or '.',"
          + " starting and ending alphanumeric)";
    }
    return null;
  }

  public static boolean isVariableName(String name) {
    return VARIABLE.matcher(name).matches();
  }
}
