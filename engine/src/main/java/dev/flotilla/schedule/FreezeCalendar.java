package dev.flotilla.schedule;

import dev.flotilla.fleet.Freeze;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.quartz.Calendar;
import org.quartz.impl.calendar.BaseCalendar;

/**
 * A Quartz calendar that excludes the fleet's freezes: each {@code [start, end)} span, on top of
 * whatever a base calendar excludes. Triggers that use it do not fire inside a freeze; a repeating
 * trigger fires next at the first time after the freeze that its schedule allows. Quartz stores
 * calendars serialized, so the spans are kept as plain epoch milliseconds.
 */
public final class FreezeCalendar extends BaseCalendar {
  private static final long serialVersionUID = 1L;

  private final long[] starts;
  private final long[] ends;

  public FreezeCalendar(List<Freeze> freezes) {
    this(null, freezes);
  }

  public FreezeCalendar(Calendar base, List<Freeze> freezes) {
    super(base);
    List<Freeze> sorted = freezes.stream().sorted(Comparator.comparing(Freeze::start)).toList();
    this.starts = sorted.stream().mapToLong(f -> f.start().toEpochMilli()).toArray();
    this.ends = sorted.stream().mapToLong(f -> f.end().toEpochMilli()).toArray();
    setDescription("fleet freezes: " + String.join(", ", sorted.stream().map(Freeze::name).toList()));
  }

  @Override
  public boolean isTimeIncluded(long timeStamp) {
    return super.isTimeIncluded(timeStamp) && freezeEndingAfter(timeStamp) < 0;
  }

  /** The earliest time at or after {@code timeStamp} that neither a freeze nor the base calendar excludes. */
  @Override
  public long getNextIncludedTime(long timeStamp) {
    long candidate = super.getNextIncludedTime(timeStamp);
    // Each round skips past one freeze or one exclusion of the base calendar, always forward.
    for (int round = 0; round <= starts.length * 2 + 1000; round++) {
      int freeze = freezeEndingAfter(candidate);
      if (freeze < 0) return candidate;
      candidate = super.getNextIncludedTime(ends[freeze]);
    }
    throw new IllegalStateException("no included time found after " + timeStamp + " in " + getDescription());
  }

  /** The index of the freeze holding {@code t}, or -1. */
  private int freezeEndingAfter(long t) {
    for (int i = 0; i < starts.length; i++) {
      if (starts[i] <= t && t < ends[i]) return i;
    }
    return -1;
  }

  @Override
  public Object clone() {
    // The span arrays are never written after construction, so sharing them is safe.
    return super.clone();
  }

  @Override
  public String toString() {
    return getDescription() + " " + Arrays.toString(starts) + ".." + Arrays.toString(ends);
  }
}
