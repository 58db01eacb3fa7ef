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

  @Option(names = "--storm", description = "Instead: a reconnect storm of --sites agents asking for their bundle at once with If-None-Match,"
      + " against the engine's pull routes (a child JVM, --storm-heap) and nginx when installed.")
  boolean storm;

  @Option(names = "--sites", paramLabel = "N", description = "Storm: agents (default: 10000).")
  int sites = 10_000;

  @Option(names = "--storm-dir", paramLabel = "DIR", description = "Storm: working folder (default: a new temporary folder).")
  Path stormDir;

  @Option(names = "--storm-heap", paramLabel = "SIZE", description = "Storm: the engine JVM's -Xmx (default: 512m).")
  String stormHeap = "512m";

  /** Hidden: the storm's serving half, run by the storm in a child JVM. */
  @Option(names = "--storm-serve", hidden = true, paramLabel = "DIR")
  Path stormServe;

  @Override
  public Integer call() throws GeneralSecurityException, InterruptedException, ExecutionException, IOException,
      dev.flotilla.engine.port.StoreException, dev.flotilla.delivery.DeliveryException {
    if (stormServe != null) {
      dev.flotilla.bench.StormServer.run(stormServe, sites, System.out);
      return ExitCodes.OK;
    }
    if (storm) {
      Path dir = stormDir != null ? stormDir : java.nio.file.Files.createTempDirectory("flotilla-storm-");
      System.out.printf("bench bundles --storm: %d agents, %d cores, working in %s%n", sites, Runtime.getRuntime().availableProcessors(), dir);
      Map<String, Object> numbers = new dev.flotilla.bench.StormBenchmark(System.out).run(sites, dir, stormHeap);
      if (report != null) new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(report.toFile(), numbers);
      return ExitCodes.OK;
    }
    System.out.printf("bench bundles: %d bundles, %d threads, %d cores%n", count, threads, Runtime.getRuntime().availableProcessors());
    Map<String, Object> numbers = new BundleBenchmark(threads, System.out).run(count);
    if (report != null) new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(report.toFile(), numbers);
    return ExitCodes.OK;
  }
}
