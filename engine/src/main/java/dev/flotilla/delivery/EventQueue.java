package dev.flotilla.delivery;

import java.time.Instant;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/** The simulator's timeline: events ordered by due time, and the tokens that tell stale ones apart. */
final class EventQueue {
  private final PriorityBlockingQueue<SiteEvent> events = new PriorityBlockingQueue<>(1024, SiteEvent.BY_DUE);
  private final AtomicLong tokens = new AtomicLong();

  long nextToken() {
    return tokens.incrementAndGet();
  }

  void add(SiteEvent event) {
    events.add(event);
  }

  /** The earliest event due at or before {@code now}, or null. Only the ticking thread removes events. */
  SiteEvent pollDue(Instant now) {
    SiteEvent head = events.peek();
    return head != null && !head.due().isAfter(now) ? events.poll() : null;
  }

  int size() {
    return events.size();
  }
}
