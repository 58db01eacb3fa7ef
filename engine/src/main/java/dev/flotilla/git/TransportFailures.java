package dev.flotilla.git;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;

/** Turns what JGit throws at a remote into a {@link GitSyncException.Reason}. */
final class TransportFailures {
  private TransportFailures() {}

  static GitSyncException.Reason classify(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      // JGit's words when the server's host key is not in known_hosts, or differs from it.
      if (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains("server key did not validate")) {
        return GitSyncException.Reason.HOST_KEY;
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (message.contains("not authorized")
          || message.contains("authentication")
          || message.contains("auth fail")
          || message.contains("no more authentication methods")
          || message.contains("not permitted")
          || message.contains("forbidden")) {
        return GitSyncException.Reason.AUTHENTICATION;
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException
          || t instanceof NoRemoteRepositoryException) {
        return GitSyncException.Reason.UNREACHABLE;
      }
    }
    return GitSyncException.Reason.UNREACHABLE;
  }

  /** The failure's message, with what to do about an untrusted host key first. */
  static String describe(Throwable failure, GitSyncException.Reason reason) {
    if (reason != GitSyncException.Reason.HOST_KEY) return describe(failure);
    return "the server's SSH host key is not listed in the known_hosts file (--known-hosts), or differs from the one"
        + " listed there; add the server's key (ssh-keyscan -p PORT HOST, checked out of band) if it is the right server: "
        + describe(failure);
  }

  /** The innermost useful message of the failure chain. */
  static String describe(Throwable failure) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && !message.isBlank() && text.indexOf(message) < 0) {
        if (text.length() > 0) {
          text.append(": ");
        }
        text.append(message);
      }
    }
    return text.length() == 0 ? failure.getClass().getSimpleName() : text.toString();
  }
}
