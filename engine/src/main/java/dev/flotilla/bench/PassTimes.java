package dev.flotilla.bench;

import java.util.Arrays;

/** Wall and CPU time of each scheduling pass of a run, in nanoseconds, and their summaries. */
final class PassTimes {
  private long[] wall = new long[64];
  private long[] cpu = new long[64];
  private int size;

  void add(long wallNanos, long cpuNanos) {
    if (size == wall.length) {
      wall = Arrays.copyOf(wall, size * 2);
      cpu = Arrays.copyOf(cpu, size * 2);
    }
    wall[size] = wallNanos;
    cpu[size] = cpuNanos;
    size++;
  }

  int count() {
    return size;
  }

  long totalCpu() {
    long sum = 0;
    for (int i = 0; i < size; i++) sum += cpu[i];
    return sum;
  }

  long maxWall() {
    return max(wall);
  }

  long medianWall() {
    return median(wall);
  }

  long maxCpu() {
    return max(cpu);
  }

  long medianCpu() {
    return median(cpu);
  }

  private long max(long[] values) {
    long max = 0;
    for (int i = 0; i < size; i++) max = Math.max(max, values[i]);
    return max;
  }

  /** The median (the lower middle one for an even count); 0 when there was no pass. */
  private long median(long[] values) {
    if (size == 0) return 0;
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    return sorted[(size - 1) / 2];
  }
}
