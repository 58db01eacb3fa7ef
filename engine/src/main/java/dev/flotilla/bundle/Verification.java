package dev.flotilla.bundle;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** The outcome of verifying a bundle: apply it, there is nothing to do, or refuse it and say why. */
public sealed interface Verification {

  /** Every check passed: the manifests may be applied. */
  record Accepted(Statement statement, String statementSha256, SortedMap<String, byte[]> manifests) implements Verification {
    public Accepted {
      manifests = Collections.unmodifiableSortedMap(new TreeMap<>(manifests));
    }
  }

  /** The same sequence with the same statement as the installed one: a re-download, quietly ignored. */
  record AlreadyInstalled(Statement statement) implements Verification {}

  /** Refused; nothing may be applied. {@link #message()} is what a person reads. */
  record Rejected(RejectReason reason, String detail) implements Verification {
    public String message() {
      return reason.code() + ": " + reason.text() + " (" + detail + ")";
    }
  }

  static Rejected rejected(Rejection r) {
    return new Rejected(r.reason(), r.detail());
  }
}
