package dev.flotilla.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code flotilla} command line in a child JVM (this test's class path), started in a working
 * folder of the test's choosing: the only honest way to check that relative paths are taken from
 * where the user stands, since a JVM cannot change its own working directory.
 */
public final class CliProcess {
  private static final long TIMEOUT_SECONDS = 180;

  private CliProcess() {}

  /** What one run printed and returned. */
  public record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  /** Runs {@code flotilla args...} in {@code workingFolder} with {@code env} added to this process's environment. */
  public static Result run(Path workingFolder, Map<String, String> env, String... args) {
    List<String> argv = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), "dev.flotilla.cli.Main"));
    argv.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("flotilla-cli-", ".out");
      Path err = Files.createTempFile("flotilla-cli-", ".err");
      try {
        ProcessBuilder builder = new ProcessBuilder(argv).directory(workingFolder.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException("flotilla " + String.join(" ", args) + " still running after " + TIMEOUT_SECONDS + " s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("run flotilla " + String.join(" ", args), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running flotilla", e);
    }
  }
}
