package dev.flotilla.fleet;

import java.text.ParseException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import org.quartz.CronExpression;

/** Reads {@code fleet.yaml}: the ordered tiers, the windows, the freezes, remote hosts and signed commits. */
final class FleetReader {
  private FleetReader() {}

  /** {@code now} decides whether a window can still open. */
  static Fleet read(Header h, Instant now, Problems problems) {
    Fields spec = h.spec();
    List<Tier> tiers = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<Fields> tierFields = spec.objects("tiers", true);
    if (spec.has("tiers") && tierFields.isEmpty()) spec.problem("tiers", "a fleet needs at least one tier");
    for (Fields t : tierFields) {
      String name = t.string("name", true);
      String delivery = t.string("delivery", true);
      t.rejectUnknown("name", "delivery");
      if (name == null) continue;
      String bad = Names.checkDns1123Label(name);
      if (bad != null) {
        t.problem("name", bad);
        continue;
      }
      if (!seen.add(name)) {
        t.problem("name", "duplicate tier name '" + name + "'");
        continue;
      }
      // A tier whose delivery is missing or invalid is reported and still declared, so that the
      // sites, apps and waves naming it are not also told it does not exist: a problem was
      // recorded, so this fleet is never used.
      Delivery mode = Delivery.PUSH;
      if (delivery != null) {
        try {
          mode = Delivery.parse(delivery);
        } catch (IllegalArgumentException e) {
          t.problem("delivery", e.getMessage());
        }
      }
      tiers.add(new Tier(name, mode));
    }
    Map<String, Window> windows = windows(spec, now);
    List<Freeze> freezes = freezes(spec);
    Set<String> remoteHosts = remoteHosts(spec);
    Optional<SignedCommits> signedCommits = SignedCommitsReader.read(spec);
    spec.rejectUnknown("tiers", "windows", "freezes", "remoteResources", "requireSignedCommits");
    return new Fleet(h.name(), tiers, windows, freezes, remoteHosts, signedCommits);
  }

  /**
   * The windows by name. A window whose cron or duration is invalid is reported and still declared
   * (with a zero duration), so that a wave naming it is not also told that no such window exists:
   * a problem was recorded, so this fleet is never used.
   */
  private static Map<String, Window> windows(Fields spec, Instant now) {
    Map<String, Window> windows = new LinkedHashMap<>();
    for (Fields w : spec.objects("windows", false)) {
      String name = w.string("name", true);
      String cron = w.string("cron", true);
      String duration = w.string("duration", true);
      w.rejectUnknown("name", "cron", "duration");
      if (name == null) continue;
      String bad = Names.checkDns1123Label(name);
      if (bad != null) {
        w.problem("name", bad);
        continue;
      }
      if (windows.containsKey(name)) {
        w.problem("name", "duplicate window name '" + name + "'");
        continue;
      }
      boolean valid = cron != null && duration != null;
      if (cron != null && !CronExpression.isValidExpression(cron)) {
        w.problem("cron", "'" + cron + "' is not a valid Quartz cron expression"
            + " (seconds minutes hours day-of-month month day-of-week [year], e.g. \"0 0 2 ? * *\")");
        valid = false;
      } else if (cron != null) {
        String never = neverOpens(cron, now);
        if (never != null) {
          w.problem("cron", never);
          valid = false;
        }
      }
      java.time.Duration open = java.time.Duration.ZERO;
      if (duration != null) {
        try {
          open = Durations.parse(duration);
          if (open.isZero()) {
            w.problem("duration", "a window must stay open for more than 0s");
            valid = false;
          }
        } catch (IllegalArgumentException e) {
          w.problem("duration", e.getMessage());
          valid = false;
        }
      }
      windows.put(name, new Window(name, cron == null ? "" : cron, valid ? open : java.time.Duration.ZERO));
    }
    return windows;
  }

  /**
   * Why a valid cron expression never fires after {@code now} (a year in the past, February 30),
   * or null when it does. Judged in UTC: a site's own zone moves a fire time by hours, not years.
   */
  private static String neverOpens(String cron, Instant now) {
    try {
      CronExpression expression = new CronExpression(cron);
      expression.setTimeZone(TimeZone.getTimeZone("UTC"));
      if (expression.getNextValidTimeAfter(Date.from(now)) != null) return null;
    } catch (ParseException | RuntimeException e) {
      // isValidExpression accepted it; anything Quartz cannot step through cannot open either.
    }
    return "'" + cron + "' never fires after " + now + " (a past year, or a day the month does not have such as"
        + " February 30): the window would never open";
  }

  /** {@code spec.remoteResources.allowedHosts}: the only hosts kustomizations may fetch from. */
  private static Set<String> remoteHosts(Fields spec) {
    Fields remote = spec.object("remoteResources", false);
    List<String> hosts = remote.strings("allowedHosts", remote.isPresent());
    remote.rejectUnknown("allowedHosts");
    Set<String> out = new java.util.TreeSet<>();
    for (String host : hosts) {
      String bad = Names.checkHostName(host);
      if (bad != null) remote.problem("allowedHosts", bad);
      else out.add(host);
    }
    return out;
  }

  private static List<Freeze> freezes(Fields spec) {
    List<Freeze> freezes = new ArrayList<>();
    for (Fields f : spec.objects("freezes", false)) {
      String name = f.string("name", true);
      Instant start = instant(f, "start");
      Instant end = instant(f, "end");
      String reason = f.string("reason", false);
      f.rejectUnknown("name", "start", "end", "reason");
      if (name == null || start == null || end == null) continue;
      if (!end.isAfter(start)) {
        f.problem("end", "a freeze must end after it starts (" + start + ")");
        continue;
      }
      freezes.add(new Freeze(name, start, end, reason == null ? "" : reason));
    }
    return freezes;
  }

  private static Instant instant(Fields f, String key) {
    String text = f.string(key, true);
    if (text == null) return null;
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      f.problem(key, "expected an ISO-8601 instant such as 2026-11-27T00:00:00Z, got '" + Names.shorten(text) + "'");
      return null;
    }
  }
}
