package dev.flotilla.scaffold;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** The rule for every name in a fleet repo: a DNS-1123 label, as Kubernetes names namespaces. */
final class DnsLabel {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private DnsLabel() {}

  static boolean isValid(String name) {
    return name != null && name.length() <= 63 && LABEL.matcher(name).matches();
  }

  static void require(String name, String field, Path where) throws ScaffoldException {
    if (!isValid(name)) {
      throw new ScaffoldException(
          where,
          field + ": '" + name + "' is not a DNS-1123 label: expected lower case letters, digits and '-', "
              + "starting and ending with a letter or digit, at most 63 characters");
    }
  }
}
