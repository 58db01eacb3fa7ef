package dev.flotilla.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testing.RepoRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every example of the README and docs/ (the bash blocks marked {@code <!-- example -->}) as a
 * user would: in a fresh clone of this checkout (the last two commits, plus the working tree's
 * uncommitted changes committed on top, so a README being edited is tested as it is), with an empty
 * data folder, through the {@code ./flotilla} launcher and the jar this build made. Each command is
 * one test and must exit 0; the commands of one block share one clone, in order, and an {@code
 * export} line of a block holds for the commands after it.
 */
class ReadmeExamplesIT {
  private static final long TIMEOUT_SECONDS = 300;

  @TempDir static Path dir;

  @TestFactory
  Stream<DynamicNode> everyMarkedExampleRunsInAFreshClone() throws IOException {
    Path root = RepoRoot.find();
    List<Path> documents = new ArrayList<>(List.of(root.resolve("README.md")));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
    }
    List<DynamicNode> nodes = new ArrayList<>();
    int n = 0;
    for (Path document : documents) {
      for (MarkedExamples.Block block : MarkedExamples.read(document).blocks()) {
        Path clone = dir.resolve("clone-" + (++n));
        AtomicReference<Boolean> made = new AtomicReference<>(false);
        List<DynamicTest> commands = new ArrayList<>();
        StringBuilder exports = new StringBuilder(); // an `export` line holds for the rest of its block, as in a shell
        for (String command : block.commands()) {
          String withExports = exports + command;
          if (command.startsWith("export ")) exports.append(command).append('\n');
          commands.add(DynamicTest.dynamicTest(command, () -> {
          if (!made.getAndSet(true)) freshClone(root, clone);
          Run r = bash(clone, withExports);
          assertThat(r.exit()).as("%s: %s exited %d%n%s", block, command, r.exit(), r.output()).isZero();
          }));
        }
        nodes.add(DynamicContainer.dynamicContainer(root.relativize(document) + " line " + block.line(), commands));
      }
    }
    assertThat(nodes).as("marked examples in the README").isNotEmpty();
    return nodes.stream();
  }

  record Run(int exit, String output) {}

  /** A clone of the checkout's last two commits, with the working tree's changes committed on top and the built jar in place. */
  static void freshClone(Path root, Path clone) throws IOException {
    git(root.getParent(), "clone", "-q", "--depth", "2", root.toUri().toString(), clone.toString());
    for (String file : git(root, "ls-files", "-z").output().split("\0")) {
      if (file.isBlank()) continue;
      Path source = root.resolve(file);
      Path target = clone.resolve(file);
      if (Files.isRegularFile(source)) {
        Files.createDirectories(target.getParent());
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
      } else {
        Files.deleteIfExists(target);
      }
    }
    if (!git(clone, "status", "--porcelain").output().isBlank()) {
      git(clone, "add", "-A");
      git(clone, "-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "working tree");
    }
    Path jar = root.resolve("engine/target/flotilla.jar");
    assertThat(jar).as("the jar this build made (run through mvn verify)").exists();
    Path copied = clone.resolve("engine/target/flotilla.jar");
    Files.createDirectories(copied.getParent());
    Files.copy(jar, copied);
    // Newer than every source, so the launcher runs it instead of building another.
    Files.setLastModifiedTime(copied, FileTime.from(Instant.now().plusSeconds(3600)));
  }

  static Run git(Path in, String... args) {
    List<String> argv = new ArrayList<>(List.of("git"));
    argv.addAll(List.of(args));
    Run r = run(in, argv);
    if (r.exit() != 0) throw new IllegalStateException(String.join(" ", argv) + " failed: " + r.output());
    return r;
  }

  static Run bash(Path in, String command) {
    return run(in, List.of("bash", "-euo", "pipefail", "-c", command));
  }

  private static Run run(Path in, List<String> argv) {
    try {
      Path log = Files.createTempFile(dir, "run-", ".log");
      ProcessBuilder builder = new ProcessBuilder(argv).directory(in.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().put("FLOTILLA_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m");
      builder.environment().remove("FLOTILLA_DATA");
      // The clone is a Git work tree: the default data folder goes outside it, under XDG_DATA_HOME (here: this test's folder).
      builder.environment().put("XDG_DATA_HOME", dir.resolve("xdg-data").toString());
      Process process = builder.start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Run(-1, "timed out after " + TIMEOUT_SECONDS + " s\n" + Files.readString(log, StandardCharsets.UTF_8));
      }
      return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(String.join(" ", argv), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", argv), e);
    }
  }
}
