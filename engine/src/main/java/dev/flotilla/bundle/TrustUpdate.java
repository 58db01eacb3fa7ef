package dev.flotilla.bundle;

/** The outcome of offering a new trust document to a {@link TrustStore}. */
public sealed interface TrustUpdate {
  /** Accepted and stored; it is now the current document. */
  record Accepted(TrustDocument document) implements TrustUpdate {}

  /** Refused; the current document stays. */
  record Rejected(RejectReason reason, String detail) implements TrustUpdate {
    public String message() {
      return reason.code() + ": " + reason.text() + " (" + detail + ")";
    }
  }
}
