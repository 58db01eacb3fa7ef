package dev.flotilla.delivery;

import dev.flotilla.delivery.SiteEvent.ApplyDue;
import dev.flotilla.delivery.SiteEvent.ReadyDue;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One simulated site: per app, the release it was given and has not applied yet, what it runs, its
 * health, and the report it last published. Every method runs under the site's own monitor, so
 * sites never contend with each other; the simulator decides when each method is called.
 *
 * <p>What the site runs changes when an apply happens; what it reports changes only when {@link
 * #publish} is called, which the simulator does after the apply is durable in the journal.
 */
final class SimulatedSite {
  enum Offer { ACCEPTED, DUPLICATE, UNREACHABLE }

  private static final class AppState {
    SiteRelease pending;
    long pendingToken;
    String running;
    String rolloutId;
    Health health = Health.UNKNOWN;
    String message = "";
    Instant changedAt;
    long readyToken;
    Instant readyAt;
    SiteReport published;
  }

  private final String name;
  private final Map<String, AppState> apps = new HashMap<>();
  private boolean online = true;
  private Instant lastHeard;
  private volatile Delay applyDelay;
  private volatile Delay readyDelay;

  SimulatedSite(String name) {
    this.name = name;
  }

  String name() {
    return name;
  }

  /** This site's own apply delay, or {@code fallback} when it has none. */
  Delay applyDelayOr(Delay fallback) {
    Delay own = applyDelay;
    return own == null ? fallback : own;
  }

  Delay readyDelayOr(Delay fallback) {
    Delay own = readyDelay;
    return own == null ? fallback : own;
  }

  void applyDelay(Delay delay) {
    applyDelay = delay;
  }

  void readyDelay(Delay delay) {
    readyDelay = delay;
  }

  /**
   * Takes a release: it replaces any release given before and not applied yet, so the site only
   * ever applies the newest one. An offline site keeps it without scheduling its apply.
   */
  synchronized Offer offer(SiteRelease release, Instant now, Duration applyDelay, EventQueue queue) {
    if (!online && release.site().delivery() == dev.flotilla.fleet.Delivery.PUSH) return Offer.UNREACHABLE;
    AppState app = apps.computeIfAbsent(release.app(), a -> new AppState());
    String newest = app.pending != null ? app.pending.revision() : app.running;
    if (release.revision().equals(newest)) return Offer.DUPLICATE;
    if (release.revision().equals(app.running)) {
      // Back to what the site runs before the newer release got applied: nothing left to apply.
      app.pending = null;
      return Offer.ACCEPTED;
    }
    app.pending = release;
    app.pendingToken = queue.nextToken();
    if (online) queue.add(new ApplyDue(name, release.app(), app.pendingToken, now.plus(applyDelay)));
    return Offer.ACCEPTED;
  }

  /** Applies the pending release if the event is still current; null when it is stale or the site is offline. */
  synchronized AppliedRelease apply(ApplyDue due, List<FailureRule> rules, Duration readyDelay, EventQueue queue) {
    AppState app = apps.get(due.app());
    if (!online || app == null || app.pending == null || app.pendingToken != due.token()) return null;
    SiteRelease release = app.pending;
    app.pending = null;
    app.running = release.revision();
    app.rolloutId = release.rolloutId();
    app.changedAt = due.due();
    app.readyToken = 0;
    Optional<String> failure = rules.stream().flatMap(r -> r.failureOf(release).stream()).findFirst();
    if (failure.isPresent()) {
      app.health = Health.FAILED;
      app.message = failure.get();
    } else if (readyDelay.isZero()) {
      app.health = Health.HEALTHY;
      app.message = "applied " + release.name();
    } else {
      app.health = Health.PROGRESSING;
      app.message = "applied " + release.name() + ", waiting to become ready";
      scheduleReady(due.app(), app, due.due().plus(readyDelay), queue);
    }
    return new AppliedRelease(name, due.app(), release.revision(), release.rolloutId(), due.due(), app.health);
  }

  /** Turns the app HEALTHY if the event is still current; false when it is stale or the site is offline. */
  synchronized boolean ready(ReadyDue due) {
    AppState app = apps.get(due.app());
    if (!online || app == null || app.health != Health.PROGRESSING || app.readyToken != due.token()) return false;
    app.health = Health.HEALTHY;
    app.message = "ready: " + due.app() + "@" + app.running;
    app.changedAt = due.due();
    app.readyAt = null;
    return true;
  }

  /** Sets the app's health on command; cancels a pending "becomes ready". */
  synchronized void setHealth(String appName, Health health, Instant now) {
    AppState app = apps.get(appName);
    if (app == null || app.running == null) {
      throw new IllegalStateException("site " + name + " runs no revision of app " + appName + " whose health could change");
    }
    app.health = health;
    app.message = "health set to " + health + " (simulated)";
    app.changedAt = now;
    app.readyToken = 0;
    app.readyAt = null;
    publish(appName, now);
  }

  /** Makes what the site runs visible as its report; an offline site reports nothing. */
  synchronized void publish(String appName, Instant observedAt) {
    AppState app = apps.get(appName);
    if (!online || app == null || app.running == null) return;
    app.published = new SiteReport(name, appName, app.running, app.health, true, observedAt, app.message);
  }

  /** Publishes the app at the time its state last changed. */
  synchronized void publish(String appName) {
    AppState app = apps.get(appName);
    if (app != null && app.changedAt != null) publish(appName, app.changedAt);
  }

  synchronized void goOffline(Instant now) {
    if (!online) return;
    online = false;
    lastHeard = now;
  }

  /**
   * Comes back: reports what it runs, then schedules the apply of the newest release it was given
   * per app (the ones in between were replaced and are never applied) and any readiness it missed.
   */
  synchronized void goOnline(Instant now, Supplier<Duration> applyDelays, Duration readyDelay, EventQueue queue) {
    if (online) return;
    online = true;
    for (Map.Entry<String, AppState> e : apps.entrySet()) {
      AppState app = e.getValue();
      publish(e.getKey(), now);
      if (app.pending != null) {
        app.pendingToken = queue.nextToken();
        queue.add(new ApplyDue(name, e.getKey(), app.pendingToken, now.plus(applyDelays.get())));
      }
      if (app.health == Health.PROGRESSING) {
        Instant readyAt = app.readyAt != null && app.readyAt.isAfter(now) ? app.readyAt : now.plus(readyDelay);
        scheduleReady(e.getKey(), app, readyAt, queue);
      }
    }
  }

  /**
   * Resumes from a journal line: the site runs the release again; if it was progressing, it is
   * ready by now when its ready delay has passed since the apply, else it becomes ready then.
   */
  synchronized void restore(AppliedRelease applied, Instant now, Duration readyDelay, EventQueue queue) {
    AppState app = apps.computeIfAbsent(applied.app(), a -> new AppState());
    app.pending = null;
    app.running = applied.revision();
    app.rolloutId = applied.rolloutId();
    app.health = applied.health();
    app.changedAt = applied.at();
    app.message = "applied " + applied.app() + "@" + applied.revision() + " (replayed from the journal)";
    app.readyToken = 0;
    app.readyAt = null;
    Instant readyAt = applied.at().plus(readyDelay);
    if (applied.health() == Health.PROGRESSING && readyAt.isAfter(now)) {
      scheduleReady(applied.app(), app, readyAt, queue);
    } else if (applied.health() == Health.PROGRESSING) {
      app.health = Health.HEALTHY;
      app.message = "ready: " + applied.app() + "@" + applied.revision() + " (replayed from the journal)";
      app.changedAt = readyAt;
    }
    publish(applied.app());
  }

  private void scheduleReady(String appName, AppState app, Instant at, EventQueue queue) {
    app.readyAt = at;
    app.readyToken = queue.nextToken();
    queue.add(new ReadyDue(name, appName, app.readyToken, at));
  }

  /**
   * The app's report: the published one while online; while offline, the last one marked offline
   * (or, when {@code evenIfSilent}, a report that the site is offline and has said nothing).
   */
  synchronized Optional<SiteReport> report(String appName, boolean evenIfSilent) {
    AppState app = apps.get(appName);
    SiteReport last = app == null ? null : app.published;
    if (online) return Optional.ofNullable(last);
    String offline = "site offline since " + lastHeard;
    if (last == null) {
      return evenIfSilent
          ? Optional.of(new SiteReport(name, appName, null, Health.UNKNOWN, false, lastHeard, offline))
          : Optional.empty();
    }
    return Optional.of(new SiteReport(name, appName, last.revision(), last.health(), false, lastHeard,
        offline + "; last report: " + last.message()));
  }

  synchronized boolean online() {
    return online;
  }

  /** The revision the site runs for the app now, reported or not yet. */
  synchronized Optional<String> running(String appName) {
    AppState app = apps.get(appName);
    return Optional.ofNullable(app == null ? null : app.running);
  }
}
