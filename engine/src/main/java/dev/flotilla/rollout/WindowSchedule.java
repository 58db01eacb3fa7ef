package dev.flotilla.rollout;

import dev.flotilla.fleet.Window;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * Cron arithmetic for maintenance windows, in a site's own time zone. A window is open at {@code
 * t} when some fire time {@code f} of its cron has {@code f <= t < f + duration}: the opening
 * instant is inside, the closing instant outside. Across daylight-saving changes the fire times
 * are Quartz's: a wall-clock time that does not exist that day does not fire (a 02:30 window in
 * Paris does not open on 2026-03-29), and one that happens twice fires once, at its second
 * occurrence (02:30 CET on 2026-10-25). Pick window starts outside 02:00-03:00 to avoid both.
 */
public final class WindowSchedule {

  private WindowSchedule() {}

  public static boolean isOpen(Window window, ZoneId zone, Instant t) {
    // The first fire time strictly after t - duration is the only one whose span can cover t.
    Optional<Instant> f = fireAfter(cron(window, zone), t.minus(window.duration()));
    return f.isPresent() && !f.get().isAfter(t);
  }

  /** The first time the window opens strictly after {@code t}; empty when its cron never fires again. */
  public static Optional<Instant> nextOpening(Window window, ZoneId zone, Instant t) {
    return fireAfter(cron(window, zone), t);
  }

  /**
   * How long, within {@code [from, to)}, the window was open for at least one of {@code zones}
   * (the union of their open spans), counting no further than {@code enough}: the answer is capped
   * so that a long span of a frequent cron costs no more than needed.
   */
  public static Duration openTime(Window window, Collection<ZoneId> zones, Instant from, Instant to, Duration enough) {
    if (!to.isAfter(from) || zones.isEmpty()) return Duration.ZERO;
    List<Span> spans = new ArrayList<>();
    for (ZoneId zone : zones.stream().distinct().toList()) {
      spans.addAll(spans(window, zone, from, to, enough));
    }
    spans.sort(Comparator.comparing(Span::start));
    Duration total = Duration.ZERO;
    Instant coveredUntil = from;
    for (Span s : spans) {
      Instant start = s.start().isAfter(coveredUntil) ? s.start() : coveredUntil;
      if (s.end().isAfter(start)) {
        total = total.plus(Duration.between(start, s.end()));
        coveredUntil = s.end();
      }
      if (total.compareTo(enough) >= 0) return enough;
    }
    return total;
  }

  private record Span(Instant start, Instant end) {}

  /** The open spans of one zone clipped to [from, to), stopping once they add up to {@code enough}. */
  private static List<Span> spans(Window window, ZoneId zone, Instant from, Instant to, Duration enough) {
    CronExpression cron = cron(window, zone);
    List<Span> spans = new ArrayList<>();
    Duration sum = Duration.ZERO;
    Instant covered = from; // spans of one zone may overlap when the duration outlasts the cron's period
    Optional<Instant> f = fireAfter(cron, from.minus(window.duration()));
    while (f.isPresent() && f.get().isBefore(to) && sum.compareTo(enough) < 0) {
      Instant start = f.get().isBefore(covered) ? covered : f.get();
      Instant end = f.get().plus(window.duration());
      end = end.isAfter(to) ? to : end;
      if (end.isAfter(start)) {
        spans.add(new Span(start, end));
        sum = sum.plus(Duration.between(start, end));
        covered = end;
      }
      f = fireAfter(cron, f.get());
    }
    return spans;
  }

  private static Optional<Instant> fireAfter(CronExpression cron, Instant t) {
    Date next = cron.getNextValidTimeAfter(Date.from(t));
    return Optional.ofNullable(next).map(Date::toInstant);
  }

  // A new CronExpression per call: it is mutable (time zone) and not thread-safe, and parsing is cheap.
  private static CronExpression cron(Window window, ZoneId zone) {
    try {
      CronExpression cron = new CronExpression(window.cron());
      cron.setTimeZone(TimeZone.getTimeZone(zone));
      return cron;
    } catch (ParseException e) {
      throw new IllegalArgumentException(
          "window " + window.name() + ": cron '" + window.cron() + "' is not a Quartz cron expression: " + e.getMessage(), e);
    }
  }
}
