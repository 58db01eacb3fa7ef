package dev.flotilla.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flotilla.bench.BundleBenchmark;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bundles", description = {
    "Signs N bundle statements with Bouncy Castle's Ed25519 and the JDK's (1 thread and all), then builds and verifies",
    "N whole bundles; the goal is 10,000 signed bundles in at most 3 s on 2 cores."})
final class BundleBenchCommand implements Callable<Integer> {
  @Option(names = "--count", paramLabel = "N", description = "Bundles (default: 10000).")
  int count = 10_000;

  @Option(names = "--threads", paramLabel = "N", description = "Default: the number of cores.")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--report", paramLabel = "FILE", description = "Also write the numbers as JSON.")
  Path report;

  @Override
  public Integer call() throws GeneralSecurityException, InterruptedException, ExecutionException, IOException {
    System.out.printf("bench bundles: %d bundles, %d threads, %d cores%n", count, threads, Runtime.getRuntime().availableProcessors());
    Map<String, Object> numbers = new BundleBenchmark(threads, System.out).run(count);
    if (report != null) new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(report.toFile(), numbers);
    return ExitCodes.OK;
  }
}
