package dev.flotilla.provider.github;

import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.provider.CommitState;
import dev.flotilla.provider.CommitStatus;
import dev.flotilla.provider.ProviderApi;
import dev.flotilla.provider.ProviderException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each release rollout as the commit status {@code flotilla/rollout/<app>} of its
 * revision: pending with its progress ({@code wave 2/5 pop: 12/24 sites}), success when completed,
 * failure when halted, error when aborted, rolled back or superseded. {@link #offer} only notes what
 * the status should be (cheap, never calls the provider); {@link #publishDue} sends, on its own
 * thread, what changed since the last send of that rollout and no more often than {@code every} per
 * rollout; a failed send is tried again after a backoff doubling up to {@code maxBackoff}. So a
 * provider outage delays statuses, never a scheduling pass.
 */
public final class RolloutStatusPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutStatusPublisher.class);
  private static final int REMEMBERED = 2_000;

  private final ProviderApi api;
  private final String repo;
  private final String publicUrl;
  private final Clock clock;
  private final Duration every;
  private final Duration maxBackoff;
  private final Object sending = new Object();
  private final Map<String, Wanted> wanted = new HashMap<>();
  private final Map<String, CommitStatus> published = bounded();
  private final Map<String, Attempt> attempts = bounded();

  private record Wanted(String revision, CommitStatus status) {}

  private record Attempt(Instant at, int failures) {}

  public RolloutStatusPublisher(ProviderApi api, String repo, String publicUrl, Clock clock, Duration every, Duration maxBackoff) {
    this.api = api;
    this.repo = repo;
    this.publicUrl = publicUrl;
    this.clock = clock;
    this.every = every;
    this.maxBackoff = maxBackoff;
  }

  /** Notes the status each release rollout should show; the latest offer of a rollout wins. */
  public synchronized void offer(List<RolloutView> rollouts) {
    for (RolloutView r : rollouts) {
      if (!"RELEASE".equals(r.kind())) continue; // a rollback's revision is an older, already published one
      CommitStatus status = statusOf(r, publicUrl);
      if (status.equals(published.get(r.id()))) {
        wanted.remove(r.id());
      } else {
        wanted.put(r.id(), new Wanted(r.revision(), status));
      }
    }
  }

  /** Sends the statuses that changed and are due; returns how many were sent. */
  public int publishDue() {
    // One sender at a time: two callers (the provider thread and an explicit call) would otherwise
    // both take the same due status and post it twice.
    synchronized (sending) {
      return sendDue();
    }
  }

  private int sendDue() {
    Map<String, Wanted> due = new LinkedHashMap<>();
    Instant now = clock.instant();
    synchronized (this) {
      wanted.forEach((id, w) -> {
        if (isDue(id, now)) due.put(id, w);
      });
    }
    int sent = 0;
    for (Map.Entry<String, Wanted> e : due.entrySet()) {
      String id = e.getKey();
      Wanted w = e.getValue();
      try {
        api.setStatus(repo, w.revision(), w.status());
        sent++;
        synchronized (this) {
          published.put(id, w.status());
          attempts.put(id, new Attempt(now, 0));
          if (w.equals(wanted.get(id))) wanted.remove(id);
        }
      } catch (ProviderException ex) {
        synchronized (this) {
          Attempt before = attempts.get(id);
          attempts.put(id, new Attempt(now, before == null ? 1 : before.failures() + 1));
        }
        LOG.warn("provider: rollout {}: cannot publish {}={} on {}; tried again later: {}", id, w.status().context(),
            w.status().state().wire(), w.revision(), ex.getMessage());
      }
    }
    return sent;
  }

  private boolean isDue(String id, Instant now) {
    Attempt last = attempts.get(id);
    if (last == null) return true;
    Duration wait = every;
    if (last.failures() > 0) {
      Duration backoff = every.multipliedBy(1L << Math.min(last.failures() - 1, 16));
      wait = backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
    }
    return !now.isBefore(last.at().plus(wait));
  }

  /** The status a rollout shows on its commit. */
  static CommitStatus statusOf(RolloutView r, String publicUrl) {
    String context = "flotilla/rollout/" + r.app();
    String link = publicUrl == null ? null : publicUrl.replaceAll("/+$", "") + "/api/v1/rollouts/" + r.id();
    return switch (r.state()) {
      case "COMPLETED" -> new CommitStatus(context, CommitState.SUCCESS, "rolled out to " + sites(r) + " sites in " + r.waves().size() + " waves", link);
      case "HALTED" -> new CommitStatus(context, CommitState.FAILURE, "halted" + (r.reason() == null ? "" : ": " + r.reason()), link);
      case "ABORTED", "ROLLED_BACK", "SUPERSEDED" -> new CommitStatus(context, CommitState.ERROR, r.state().toLowerCase().replace('_', ' '), link);
      default -> new CommitStatus(context, CommitState.PENDING, progress(r), link);
    };
  }

  private static String progress(RolloutView r) {
    if (r.waves().isEmpty()) return r.state().toLowerCase();
    int i = Math.min(r.currentWave(), r.waves().size() - 1);
    RolloutView.WaveView w = r.waves().get(i);
    String text = "wave " + (i + 1) + "/" + r.waves().size() + " " + w.name() + ": " + w.done() + "/" + w.total() + " sites";
    return switch (r.state()) {
      case "RUNNING" -> text;
      default -> r.state().toLowerCase() + ", " + text;
    };
  }

  private static int sites(RolloutView r) {
    return r.waves().stream().mapToInt(RolloutView.WaveView::total).sum();
  }

  private static <V> Map<String, V> bounded() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > REMEMBERED;
      }
    };
  }
}
