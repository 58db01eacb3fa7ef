package dev.flotilla.cli;

import dev.flotilla.engine.view.CommandRequest;
import dev.flotilla.engine.view.RolloutView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flotilla rollout ...}: watches and steers rollouts through a running engine's API. */
@Command(name = "rollout", description = "Lists, watches and steers the rollouts of a running engine (flotilla serve).",
    subcommands = {RolloutCommand.ListRollouts.class, RolloutCommand.Status.class, RolloutCommand.Steer.Pause.class,
        RolloutCommand.Steer.Resume.class, RolloutCommand.Steer.Approve.class, RolloutCommand.Steer.Promote.class,
        RolloutCommand.Steer.Rollback.class, RolloutCommand.Steer.Abort.class})
final class RolloutCommand {

  /** Where the engine's API is, and the token to call it with. */
  static final class ServerOption {
    static final String TOKEN_ENV = "FLOTILLA_TOKEN";

    @Option(names = "--server", paramLabel = "URL", description = "Engine API (default: $FLOTILLA_SERVER or http://127.0.0.1:8080).")
    String server;

    @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the API token (default: $FLOTILLA_TOKEN).")
    Path tokenFile;

    @Option(names = "--allow-insecure-http",
        description = "Send the token over plain http:// to a host other than loopback (refused by default: anyone on the way can read it).")
    boolean allowInsecureHttp;

    ApiClient client() throws IOException {
      String url = server != null ? server : System.getenv().getOrDefault("FLOTILLA_SERVER", "http://127.0.0.1:8080");
      return new ApiClient(url, token(), allowInsecureHttp);
    }

    private String token() throws IOException {
      String value;
      if (tokenFile != null) {
        try {
          value = Files.readString(tokenFile).trim();
        } catch (IOException e) {
          throw new IOException("cannot read --token-file " + tokenFile + ": " + e.getMessage(), e);
        }
      } else {
        value = System.getenv(TOKEN_ENV);
      }
      return value == null || value.isBlank() ? null : value.trim();
    }
  }

  @Command(name = "list", description = "Lists rollouts, newest first.")
  static final class ListRollouts implements Callable<Integer> {
    @picocli.CommandLine.Mixin ServerOption server;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      List<RolloutView> rollouts = server.client().rollouts();
      java.io.PrintWriter out = spec.commandLine().getOut();
      out.printf("%-26s %-12s %-13s %-9s %-11s %s%n", "ID", "APP", "REVISION", "KIND", "STATE", "WAVE");
      for (RolloutView r : rollouts) {
        String wave = r.waves().isEmpty() ? "" : r.waves().get(Math.min(r.currentWave(), r.waves().size() - 1)).name();
        // Every field comes from the server: escaped, so none can move the cursor or forge a line.
        out.printf("%-26s %-12s %-13s %-9s %-11s %s%s%n", SafeText.of(r.id()), SafeText.of(r.app()),
            SafeText.of(ProgressBoard.shortId(r.revision())), SafeText.of(String.valueOf(r.kind()).toLowerCase()),
            SafeText.of(r.state()), SafeText.of(wave), r.waitingOn() == null ? "" : "  (waiting: " + SafeText.of(r.waitingOn()) + ")");
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "status", description = "Shows one rollout wave by wave; --watch follows it live until it ends.")
  static final class Status implements Callable<Integer> {
    @picocli.CommandLine.Mixin ServerOption server;
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Option(names = "--watch", description = "Redraw until the rollout completes, halts or is cancelled.") boolean watch;
    @Option(names = "--interval", paramLabel = "MS", description = "Refresh interval in ms (default: 500).") long interval = 500;

    @Override
    public Integer call() throws IOException, InterruptedException {
      ApiClient client = server.client();
      ProgressBoard board = new ProgressBoard(System.out, System.console() != null);
      RolloutView r = client.rollout(id);
      board.show(r);
      while (watch && !isFinal(r.state())) {
        Thread.sleep(interval);
        r = client.rollout(id);
        board.show(r);
      }
      return ExitCodes.OK;
    }
  }

  static boolean isFinal(String state) {
    return List.of("COMPLETED", "HALTED", "ROLLED_BACK", "ABORTED", "SUPERSEDED").contains(state);
  }

  /** The commands that change a rollout. */
  abstract static class Steer implements Callable<Integer> {
    @picocli.CommandLine.Mixin ServerOption server;
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Option(names = "--actor", paramLabel = "NAME",
        description = "Who asks, on an engine without tokens (with a token, the token's name is recorded and a different --actor is refused).")
    String actor;
    @Option(names = "--comment", paramLabel = "TEXT", description = "Why; kept in the audit log.") String comment;

    abstract String command();

    CommandRequest request(String who) {
      return new CommandRequest(who, comment, null, null);
    }

    @Override
    public Integer call() throws IOException {
      try {
        RolloutView r = server.client().command(id, command(), request(actor));
        System.out.printf("%s %s: %s%n", command(), SafeText.of(r.id()), SafeText.of(r.state()));
        return ExitCodes.OK;
      } catch (ApiClient.ApiException e) {
        System.err.println("flotilla: " + command() + " " + SafeText.of(id) + ": " + SafeText.of(e.getMessage()));
        return e.status == 409 || e.status == 400 || e.status == 404 ? ExitCodes.INVALID : ExitCodes.FAILED;
      }
    }

    @Command(name = "pause", description = "Stops sending updates; sites already updating finish.")
    static final class Pause extends Steer {
      String command() { return "pause"; }
    }

    @Command(name = "resume", description = "Resumes a paused rollout.")
    static final class Resume extends Steer {
      String command() { return "resume"; }
    }

    @Command(name = "approve", description = "Approves the current wave's approval gate (or a held rollout).")
    static final class Approve extends Steer {
      @Option(names = "--wave", paramLabel = "WAVE", description = "The wave to approve (default: the current one).") String wave;
      String command() { return "approve"; }
      @Override CommandRequest request(String who) { return new CommandRequest(who, comment, wave, null); }
    }

    @Command(name = "promote", description = "Advances past the current wave's gates now, or --at a time (a scheduled promotion).")
    static final class Promote extends Steer {
      @Option(names = "--at", paramLabel = "INSTANT", description = "ISO-8601 instant, e.g. 2026-11-26T02:00:00Z.") Instant at;
      String command() { return "promote"; }
      @Override CommandRequest request(String who) { return new CommandRequest(who, comment, null, at); }
    }

    @Command(name = "rollback", description = "Sends the sites that got the release back to the last good revision.")
    static final class Rollback extends Steer {
      String command() { return "rollback"; }
    }

    @Command(name = "abort", description = "Cancels the rollout; sites keep what they run.")
    static final class Abort extends Steer {
      String command() { return "abort"; }
    }
  }
}
