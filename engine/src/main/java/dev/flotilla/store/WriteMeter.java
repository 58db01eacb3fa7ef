package dev.flotilla.store;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the rows and bytes the rollout store writes (bytes: the lengths of the values sent, text
 * as its characters, numbers and times as 8), so a benchmark can show that a pass writes in
 * proportion to what changed in it. Thread-safe; never reset by the store.
 */
public final class WriteMeter {
  private final LongAdder rows = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder siteRows = new LongAdder();

  /** A row of a rollout's site progress: counts as a row too, and separately, as a site that changed. */
  void siteRow(Object... values) {
    siteRows.increment();
    row(values);
  }

  public long siteRows() {
    return siteRows.sum();
  }

  void row(Object... values) {
    rows.increment();
    long n = 0;
    for (Object v : values) n += v == null ? 1 : v instanceof String s ? s.length() : 8;
    bytes.add(n);
  }

  public long rows() {
    return rows.sum();
  }

  public long bytes() {
    return bytes.sum();
  }
}
