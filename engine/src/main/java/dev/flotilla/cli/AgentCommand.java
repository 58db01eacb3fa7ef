package dev.flotilla.cli;

import dev.flotilla.agent.Agent;
import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentSettings;
import dev.flotilla.agent.Hold;
import dev.flotilla.agent.KubernetesSiteCluster;
import dev.flotilla.bundle.BundleException;
import dev.flotilla.bundle.KeyFile;
import dev.flotilla.delivery.push.ApplySettings;
import dev.flotilla.delivery.push.Pause;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "agent", description = "Runs a pull site's agent: fetches, verifies and applies its bundles, reports back; no database, no scheduler, no server.",
    subcommands = {AgentCommand.HoldCommand.class})
final class AgentCommand implements Callable<Integer> {
  @Option(names = "--engine", paramLabel = "URL", description = "The engine's API, e.g. https://flotilla.example.com.") URI engine;
  @Option(names = "--site", paramLabel = "SITE", description = "This site's name in the fleet repo.") String site;
  @Option(names = "--token-file", paramLabel = "FILE", description = "File holding this site's token (flotilla site-token).") Path tokenFile;
  @Option(names = "--trust", paramLabel = "FILE", description = "trust.json: the keys bundles must be signed by.") Path trust;
  @Option(names = "--state-dir", paramLabel = "DIR", description = "The agent's state: installed sequences, bundles, report queue, hold.") Path stateDir;
  @Option(names = "--kubeconfig", paramLabel = "FILE", description = "The local cluster (default: in-cluster config or ~/.kube/config).") Path kubeconfig;
  @Option(names = "--site-key", paramLabel = "FILE", description = "This site's X25519 key (flotilla keys site), to open sealed Secrets.") Path siteKey;
  @Option(names = "--wait", paramLabel = "SECONDS", description = "Long-poll wait per request (default: 55).") long waitSeconds = 55;
  @Mixin PassphraseOptions passphrase;

  @Override
  public Integer call() throws AgentException, InterruptedException, IOException, BundleException {
    if (engine == null || site == null || tokenFile == null || trust == null || stateDir == null) {
      System.err.println("flotilla agent: --engine, --site, --token-file, --trust and --state-dir are required");
      return ExitCodes.INVALID;
    }
    String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    AgentSettings settings = AgentSettings.of(engine, site, token, trust, stateDir).withWait(waitSeconds);
    if (siteKey != null) settings = settings.withSiteKey(KeyFile.readSiteKey(siteKey, passphrase.read()));
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(clusterConfig()).build();
        Agent agent = Agent.open(settings, new KubernetesSiteCluster(site, client, ApplySettings.DEFAULTS), Clock.systemUTC(),
            new SplittableRandom(), Pause.SLEEP)) {
      AtomicBoolean stop = new AtomicBoolean();
      Thread main = Thread.currentThread();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        stop.set(true);
        main.interrupt();
      }, "flotilla-agent-shutdown"));
      System.out.println("flotilla agent: site " + site + ", engine " + engine + ", state " + stateDir);
      try {
        agent.run(stop);
      } catch (InterruptedException e) {
        if (!stop.get()) throw e;
      }
      return ExitCodes.OK;
    }
  }

  private Config clusterConfig() throws IOException {
    Config base = kubeconfig == null ? Config.autoConfigure(null)
        : Config.fromKubeconfig(null, Files.readString(kubeconfig, StandardCharsets.UTF_8), kubeconfig.toString());
    return new ConfigBuilder(base).withRequestRetryBackoffLimit(0).build();
  }

  @Command(name = "hold", description = "Holds updates at this site until a time (the engine shows the hold; the site stays pending), or clears the hold.")
  static final class HoldCommand implements Callable<Integer> {
    @Option(names = "--state-dir", required = true, paramLabel = "DIR", description = "The agent's state folder.") Path stateDir;
    @Option(names = "--until", paramLabel = "TIME", description = "RFC 3339, e.g. 2026-12-08T06:00:00Z.") String until;
    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the people watching the rollout.") String reason = "";
    @Option(names = "--clear", description = "Ends the hold now.") boolean clear;

    @Override
    public Integer call() throws AgentException {
      if (clear) {
        Hold.clear(stateDir);
        System.out.println("hold cleared; the agent takes updates again at its next poll");
        return ExitCodes.OK;
      }
      if (until == null) {
        System.err.println("flotilla agent hold: give --until TIME (or --clear)");
        return ExitCodes.INVALID;
      }
      Instant at;
      try {
        at = Instant.parse(until);
      } catch (DateTimeParseException e) {
        System.err.println("flotilla agent hold: --until must be RFC 3339 UTC like 2026-12-08T06:00:00Z, got '" + until + "'");
        return ExitCodes.INVALID;
      }
      new Hold(at, reason).write(stateDir);
      System.out.println("updates held until " + at + (reason.isEmpty() ? "" : ": " + reason));
      return ExitCodes.OK;
    }
  }
}
