package dev.flotilla.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Peak heap use over a stretch of a benchmark: the sum of each heap pool's peak since the last
 * {@link #reset}. The pools peak at different moments, so the sum is an upper bound.
 */
final class HeapPeak {
  private HeapPeak() {}

  static void reset() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
    }
  }

  static long bytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) sum += pool.getPeakUsage().getUsed();
    }
    return sum;
  }

  /** Heap in use now, garbage included. */
  static long usedNow() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Heap in use after a full collection: what the process holds on to. */
  static long liveAfterGc() {
    System.gc();
    return usedNow();
  }

  static long maxHeap() {
    return Runtime.getRuntime().maxMemory();
  }
}
