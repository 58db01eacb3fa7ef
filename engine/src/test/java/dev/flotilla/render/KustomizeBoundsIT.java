package dev.flotilla.render;

import static dev.flotilla.render.FleetRepoFixture.POP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flotilla.fleet.Fleet;
import dev.flotilla.fleet.FleetModel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kustomize under hostile input, within its {@link ProcessLimits}: an alias bomb stops at
 * the memory limit in seconds, output past its limit stops the build, and a remote resource on a
 * server that never answers is killed with its whole process group ({@code git} included) at the
 * timeout. Needs kustomize (or kubectl) and prlimit/setsid (util-linux); without them the tests
 * fail with the install hint.
 */
class KustomizeBoundsIT {
  @TempDir Path root;
  private FleetRepoFixture repo;
  private final ProcessRunner runner = new ProcessRunner();

  @BeforeEach
  void makeRepo() {
    repo = new FleetRepoFixture(root);
  }

  @Test
  void aBillionLaughsConfigMapStopsAtTheMemoryLimitWithinSeconds() throws Exception {
    StringBuilder bomb = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n"
        + "  a: x\nx:\n  l0: &l0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (int i = 1; i < 10; i++) {
      bomb.append("  l").append(i).append(": &l").append(i).append(" [")
          .append(String.join(",", Collections.nCopies(9, "*l" + (i - 1)))).append("]\n");
    }
    repo.write(POP + "/lol.yaml", bomb.toString());
    repo.write(POP + "/kustomization.yaml", "resources:\n- ../../base\n- lol.yaml\n");

    long start = System.nanoTime();
    RenderException e = renderFails(repo.model(), new ProcessLimits(Duration.ofSeconds(60), 256L << 20, 64L << 20, 8192));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(e.getMessage()).contains("kustomize ran out of its memory limit of 256 MiB (FLOTILLA_KUSTOMIZE_MEMORY");
    assertThat(e.stderr()).hasSizeLessThan(8192 + 100).contains("more bytes)");
    assertThat(took).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void outputPastItsLimitStopsTheBuild() {
    repo.write(POP + "/big.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  big: \""
        + "x".repeat(3 << 20) + "\"\n");
    repo.write(POP + "/kustomization.yaml", "resources:\n- ../../base\n- big.yaml\n");

    RenderException e = renderFails(repo.model(), new ProcessLimits(Duration.ofSeconds(60), 512L << 20, 1L << 20, 8192));

    assertThat(e.getMessage()).contains("wrote more than 1 MiB to stdout and was stopped (FLOTILLA_KUSTOMIZE_OUTPUT)");
  }

  @Test
  void aRemoteResourceOnASilentServerIsKilledWithItsProcessGroupAtTheTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> held = Collections.synchronizedList(new ArrayList<>());
      Thread acceptor = new Thread(() -> {
        try {
          while (true) held.add(silent.accept()); // accept and never answer
        } catch (IOException closed) {
          // the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      String marker = "silent-" + silent.getLocalPort();
      String url = "https://127.0.0.1:" + silent.getLocalPort() + "/" + marker + "/repo.git//base?ref=" + "a".repeat(40);
      repo.write(POP + "/kustomization.yaml", "resources:\n- " + url + "\n");
      FleetModel model = withRemoteHosts(repo.model(), "127.0.0.1");

      long start = System.nanoTime();
      RenderException e = renderFails(model, new ProcessLimits(Duration.ofSeconds(3), 512L << 20, 64L << 20, 8192));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(e.getMessage()).contains("timed out after 3000 ms and was killed with its process group");
      assertThat(took).isLessThan(Duration.ofSeconds(15));
      assertThat(survivorsNaming(marker, Duration.ofSeconds(5))).as("processes left behind").isEmpty();
      for (Socket s : held) s.close();
    }
  }

  private static List<String> survivorsNaming(String marker, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    List<String> alive;
    do {
      alive = ProcessHandle.allProcesses()
          .filter(ProcessHandle::isAlive)
          .map(p -> p.info().commandLine().orElse(""))
          .filter(c -> c.contains(marker))
          .toList();
      if (alive.isEmpty()) return alive;
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    return alive;
  }

  private static FleetModel withRemoteHosts(FleetModel model, String... hosts) {
    Fleet fleet = model.fleet();
    return new FleetModel(new Fleet(fleet.name(), fleet.tiers(), fleet.windows(), fleet.freezes(), Set.of(hosts)),
        model.sites(), model.apps(), model.policies(), model.siteOverlays());
  }

  private RenderException renderFails(FleetModel model, ProcessLimits limits) {
    KustomizeCliRenderer kustomize;
    try {
      kustomize = new KustomizeCliRenderer(KustomizeBinary.locate(null, runner), runner, limits);
    } catch (RenderException e) {
      throw new AssertionError(e.getMessage(), e);
    }
    try (FleetRenderer renderer = new FleetRenderer(kustomize, RenderCache.inMemory(), 1)) {
      RenderException e = catchThrowableOfType(RenderException.class, () -> renderer.render(model, root, "worktree"));
      assertThat(e).as("the render should fail").isNotNull();
      return e;
    }
  }
}
