package dev.flotilla.delivery.pull;

import dev.flotilla.bundle.BundleException;
import dev.flotilla.bundle.TrustChain;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trust documents the engine hands to agents: the checked chain of a key folder ({@code serve
 * --trust-dir}), read again at most every {@code recheck}, so a {@code flotilla keys rotate} in
 * that folder reaches agents without a restart. The engine is not trusted by agents (each checks
 * every version against the roots it holds); it checks the chain only so that a broken file is
 * named in its log and never served. {@link #NONE} serves nothing (every trust route answers 404).
 */
public final class ServedTrust {
  private static final Logger LOG = LoggerFactory.getLogger(ServedTrust.class);

  /** No trust documents: agents keep the trust they were installed with. */
  public static final ServedTrust NONE = new ServedTrust(null, Clock.systemUTC(), Duration.ofDays(365));

  private final Path dir;
  private final Clock clock;
  private final Duration recheck;
  private TrustChain chain = new TrustChain(java.util.List.of(), Optional.empty());
  private Instant readAt;
  private String lastProblem;

  public ServedTrust(Path dir, Clock clock, Duration recheck) {
    this.dir = dir;
    this.clock = clock;
    this.recheck = recheck;
  }

  /** The chain as last read, read again when it is older than {@code recheck}. */
  public synchronized TrustChain chain() {
    if (dir == null) return chain;
    Instant now = clock.instant();
    if (readAt != null && now.isBefore(readAt.plus(recheck))) return chain;
    readAt = now;
    TrustChain next;
    try {
      next = TrustChain.read(dir);
    } catch (BundleException e) {
      // keep serving what was read before: a folder being rewritten is not a reason to stop
      warnOnce("pull: cannot read trust documents in " + dir + ", serving version " + version(chain) + ": " + e.getMessage());
      return chain;
    }
    if (version(next) != version(chain)) LOG.info("pull: serving trust version {} from {}", version(next), dir);
    next.problem().ifPresentOrElse(p -> warnOnce("pull: trust documents in " + dir + ": " + p + " (serving up to version " + version(next) + ")"),
        () -> lastProblem = null);
    chain = next;
    return chain;
  }

  private void warnOnce(String message) {
    if (message.equals(lastProblem)) return;
    lastProblem = message;
    LOG.warn(message);
  }

  private static int version(TrustChain c) {
    return c.current().map(TrustChain.Link::version).orElse(0);
  }
}
