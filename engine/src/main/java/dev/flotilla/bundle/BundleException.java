package dev.flotilla.bundle;

/**
 * Building, storing or reading bundles, keys or trust failed for a reason other than the content
 * being untrusted (a file missing, a wrong passphrase, a corrupt state file). The message names the
 * file or the bundle. An untrusted bundle is not an exception: it is a {@link Verification.Rejected}.
 */
public final class BundleException extends Exception {
  public BundleException(String message) {
    super(message);
  }

  public BundleException(String message, Throwable cause) {
    super(message + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
  }
}
