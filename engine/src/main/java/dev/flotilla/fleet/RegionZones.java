package dev.flotilla.fleet;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Time zones as the fleet format takes them: IANA region IDs such as Europe/Paris or UTC, never
 * offsets. {@link ZoneId#of} also takes {@code +05:00}, {@code GMT+5}, {@code UTC+3} and {@code
 * Etc/GMT-5}, which are fixed all year: a window meant for 02:00 local time would drift by an hour
 * twice a year.
 */
public final class RegionZones {
  private static final Pattern FIXED_OFFSET_REGION = Pattern.compile("Etc/GMT[+-]\\d+");

  /** What a refusal says, after the refused text. */
  public static final String EXPECTED = "is not an IANA time zone region such as Europe/Paris or UTC (offsets such as +05:00,"
      + " GMT+5 or UTC+3 do not follow daylight saving time and are refused; use the region, e.g. Asia/Karachi)";

  /**
   * The zones taken so far, one object per region: a 100,000-site fleet names a handful of regions,
   * and {@link ZoneId#getAvailableZoneIds} copies its 600 IDs on every call.
   */
  private static final Map<String, ZoneId> TAKEN = new ConcurrentHashMap<>();

  private RegionZones() {}

  /** The zone of a region ID; null for an offset or anything else. */
  public static ZoneId of(String id) {
    if (id == null) return null;
    ZoneId taken = TAKEN.get(id);
    if (taken != null) return taken;
    if (!ZoneId.getAvailableZoneIds().contains(id) || FIXED_OFFSET_REGION.matcher(id).matches()) return null;
    try {
      ZoneId zone = ZoneId.of(id);
      TAKEN.putIfAbsent(id, zone);
      return zone;
    } catch (DateTimeException e) {
      return null;
    }
  }
}
