package dev.flotilla.testing;

import dev.flotilla.render.ProcessResult;
import dev.flotilla.render.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for integration tests: {@code initdb} into a temporary folder, the
 * server on 127.0.0.1 and a free port (its Unix socket in the same folder, so it never meets a
 * system cluster), fsync off for speed. {@link #close()} stops it and deletes the folder. As root
 * (CI and sessions run so, and initdb refuses root) every server command runs as the
 * {@code postgres} user through {@code runuser}. Without the server binaries it fails, with the
 * command that installs them.
 */
public final class PostgresServer implements AutoCloseable {
  public static final String USER = "flotilla";
  private static final String LOOPBACK = "127.0.0.1";
  private static final String OS_USER = "postgres";
  private static final String INSTALL_HINT = "install PostgreSQL: apt-get install postgresql (ci/tools.sh does this)";
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);

  private final Path bin;
  private final Path base;
  private final int port;
  private final boolean asRoot;
  private final Thread stopOnExit;
  private boolean stopped;

  private PostgresServer(Path bin, Path base, int port, boolean asRoot) {
    this.bin = bin;
    this.base = base;
    this.port = port;
    this.asRoot = asRoot;
    // A test run that dies without close() must still not leave a server running.
    this.stopOnExit = new Thread(this::stopQuietly, "postgres-stop-" + port);
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /** Creates and starts a new cluster; returns once it accepts connections. */
  public static PostgresServer start() {
    Path bin = findBinaries();
    boolean asRoot = isRoot();
    Path base = createBase(asRoot);
    try {
      initdb(bin, base, asRoot);
      for (int attempt = 1; ; attempt++) {
        int port = freePort();
        configure(base, port);
        ProcessResult started = run(asRoot, base, List.of(bin.resolve("pg_ctl").toString(), "-D", data(base).toString(),
            "-l", base.resolve("postgres.log").toString(), "-w", "-t", "60", "start"));
        if (started.succeeded()) return new PostgresServer(bin, base, port, asRoot);
        String log = readLog(base);
        // Another process may take the port between freePort() and the server's bind: try another.
        if (attempt < 3 && log.contains("could not bind")) continue;
        throw new IllegalStateException("pg_ctl start failed: " + started.stderr() + started.stdout() + "\n" + log);
      }
    } catch (RuntimeException | Error e) {
      // pg_ctl may give up waiting while the server still comes up: stop it before deleting.
      if (Files.exists(data(base).resolve("postmaster.pid"))) {
        run(asRoot, base, List.of(bin.resolve("pg_ctl").toString(), "-D", data(base).toString(), "-m", "immediate", "stop"));
      }
      deleteTree(base);
      throw e;
    }
  }

  public int port() {
    return port;
  }

  /** Creates a database owned by {@link #USER} and returns its JDBC URL. */
  public String createDatabase(String name) {
    if (!name.matches("[a-z][a-z0-9_]{0,62}")) throw new IllegalArgumentException("not a plain database name: " + name);
    try (Connection admin = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
      return jdbcUrl(name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + " on port " + port, e);
    }
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + LOOPBACK + ":" + port + "/" + database;
  }

  /** Stops the server at once (the data is thrown away) and deletes its folder. */
  @Override
  public void close() {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException shuttingDown) {
      // Called from a shutdown hook of its own: the hook runs anyway and finds the server stopped.
    }
  }

  private synchronized void stopQuietly() {
    if (stopped) return;
    stopped = true;
    Optional<Long> pid = postmasterPid();
    try {
      run(asRoot, base, List.of(bin.resolve("pg_ctl").toString(), "-D", data(base).toString(), "-m", "immediate",
          "-w", "-t", "30", "stop"));
    } catch (RuntimeException e) {
      System.err.println("PostgresServer: pg_ctl stop failed: " + e.getMessage());
    }
    // Whatever pg_ctl said, no postmaster may outlive the test run.
    pid.flatMap(ProcessHandle::of).ifPresent(process -> {
      process.destroyForcibly();
      process.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
    });
    deleteTree(base);
  }

  private Optional<Long> postmasterPid() {
    try {
      List<String> lines = Files.readAllLines(data(base).resolve("postmaster.pid"));
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Path data(Path base) {
    return base.resolve("data");
  }

  private static void initdb(Path bin, Path base, boolean asRoot) {
    ProcessResult result = run(asRoot, base, List.of(bin.resolve("initdb").toString(), "-D", data(base).toString(),
        "-U", USER, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"));
    if (!result.succeeded()) throw new IllegalStateException("initdb failed: " + result.stderr() + result.stdout());
  }

  private static void configure(Path base, int port) {
    // Appended, so a retry with another port simply overrides the earlier line.
    String settings = String.join("\n",
        "",
        "listen_addresses = '" + LOOPBACK + "'",
        "port = " + port,
        "unix_socket_directories = '" + base + "'",
        "fsync = off",
        "synchronous_commit = off",
        "full_page_writes = off",
        "");
    try {
      Files.writeString(data(base).resolve("postgresql.conf"), settings, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot configure the cluster in " + base, e);
    }
  }

  private static ProcessResult run(boolean asRoot, Path workDir, List<String> command) {
    List<String> argv = new ArrayList<>();
    if (asRoot) argv.addAll(List.of("runuser", "-u", OS_USER, "--"));
    argv.addAll(command);
    try {
      return new ProcessRunner().run(argv, workDir, COMMAND_TIMEOUT);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", argv)
          + (asRoot ? " (as root the server commands need runuser, from util-linux)" : ""), e);
    }
  }

  /** pg_ctl on the PATH (followed to its real folder), else the newest /usr/lib/postgresql/N/bin. */
  static Path findBinaries() {
    Stream<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, "pg_ctl"))
        .filter(Files::isExecutable)
        .map(PostgresServer::realParent);
    Optional<Path> found = onPath.filter(dir -> Files.isExecutable(dir.resolve("initdb"))).findFirst();
    if (found.isPresent()) return found.get();
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions.map(version -> version.resolve("bin"))
          .filter(dir -> Files.isExecutable(dir.resolve("pg_ctl")) && Files.isExecutable(dir.resolve("initdb")))
          .max(Comparator.comparingInt(PostgresServer::majorVersion))
          .orElseThrow(() -> new IllegalStateException("no initdb and pg_ctl under /usr/lib/postgresql; " + INSTALL_HINT));
    } catch (IOException e) {
      throw new IllegalStateException("no initdb and pg_ctl on the PATH or under /usr/lib/postgresql; " + INSTALL_HINT, e);
    }
  }

  private static Path realParent(Path executable) {
    try {
      return executable.toRealPath().getParent();
    } catch (IOException e) {
      return executable.getParent();
    }
  }

  private static int majorVersion(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean isRoot() {
    return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
  }

  /** The cluster's folder; as root it belongs to the postgres user, who runs the server. */
  private static Path createBase(boolean asRoot) {
    try {
      Path base = Files.createTempDirectory("flotilla-pg-");
      if (asRoot) {
        var users = base.getFileSystem().getUserPrincipalLookupService();
        try {
          Files.setOwner(base, users.lookupPrincipalByName(OS_USER));
        } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
          deleteTree(base);
          throw new IllegalStateException("there is no '" + OS_USER + "' user to run the server as; " + INSTALL_HINT, e);
        }
      }
      return base;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a folder for the cluster", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + LOOPBACK, e);
    }
  }

  private static String readLog(Path base) {
    try {
      return Files.readString(base.resolve("postgres.log"));
    } catch (IOException e) {
      return "(no server log: " + e.getMessage() + ")";
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) return;
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      System.err.println("PostgresServer: cannot delete " + root + ": " + e.getMessage());
    }
  }
}
