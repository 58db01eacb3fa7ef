package dev.flotilla.bench;

/** The one percentile rule of the benchmarks: nearest rank, so a reported p99 is a latency that was measured. */
final class Percentiles {
  private Percentiles() {}

  /** The index in a sorted array of {@code n} values (n ≥ 1) of its {@code q} percentile ({@code q} in (0, 1]). */
  static int rank(int n, double q) {
    return (int) Math.max(0, Math.min(n - 1, Math.ceil(q * n) - 1));
  }
}
