package dev.flotilla.bundle;

/**
 * Thrown inside the readers and checks of this package to stop at the first failed check; the
 * verifiers turn it into a {@link Verification.Rejected} and never let it out.
 */
final class Rejection extends Exception {
  private final RejectReason reason;
  private final String detail;

  Rejection(RejectReason reason, String detail) {
    super(reason.code() + ": " + detail, null, false, false);
    this.reason = reason;
    this.detail = detail;
  }

  RejectReason reason() {
    return reason;
  }

  String detail() {
    return detail;
  }
}
