package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.ServeProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flotilla serve --signing-key} publishes pull sites' releases as signed bundles, as a user
 * sets it up from the README: keys made with {@code keys generate}, a site token with {@code
 * site-token}, then {@code serve} in a child process. The bundle fetched with the site's token
 * passes {@code bundle verify} against the generated {@code trust.json}; another site's path is 403;
 * the key folder's trust documents are served to the site (the default of {@code --trust-dir}).
 */
class ServePullIT {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  @Test
  void serveWithASigningKeyPublishesABundleTheSiteFetchesWithItsTokenAndVerifies() throws Exception {
    Path passphrase = Files.writeString(dir.resolve("passphrase"), "correct horse battery staple\n");
    Path keys = dir.resolve("keys");
    Path data = dir.resolve("data");
    Run generated = cli("keys", "generate", "--out", keys.toString(), "--passphrase-file", passphrase.toString());
    assertThat(generated.exit()).as(generated.err()).isZero();
    Path signingKey;
    try (Stream<Path> files = Files.list(keys)) {
      signingKey = files.filter(f -> f.getFileName().toString().matches("signing-.*\\.key")).findFirst().orElseThrow();
    }
    Run token = cli("site-token", "edge-1", "--data-dir", data.toString());
    assertThat(token.exit()).as(token.err()).isZero();
    Matcher m = Pattern.compile("flt_site_[A-Za-z0-9_-]+").matcher(token.out());
    assertThat(m.find()).as("a token in: %s", token.out()).isTrue();
    String edge1 = m.group();

    try (GitFixture git = GitFixture.init(dir.resolve("fleet"))) {
      writeFleet(git);
      String revision = git.commit("web 1.0");
      try (ServeProcess serve = ServeProcess.delivering(git.workTree(), data, ServeProcess.freePort(), dir.resolve("logs"),
          List.of("--signing-key", signingKey.toString(), "--passphrase-file", passphrase.toString(), "--tick-interval", "200"))) {
        serve.start().awaitUp(Duration.ofSeconds(60));
        URI api = serve.uri();
        HttpClient http = HttpClient.newHttpClient();

        JsonNode list = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
          HttpResponse<String> r = http.send(get(api, "/sites/edge-1/bundles", edge1), HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
          list = new ObjectMapper().readTree(r.body());
          if (list.path("bundles").size() > 0) break;
          ServeProcess.sleep(Duration.ofMillis(300));
        }
        assertThat(list.path("bundles").toString()).as("edge-1's targets\n%s", serve.logTail(30)).contains("web");

        HttpResponse<byte[]> bundle = http.send(get(api, "/sites/edge-1/bundles/web", edge1), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(bundle.statusCode()).isEqualTo(200);
        Path tar = Files.write(dir.resolve("web.tar"), bundle.body());
        Run verified = cli("bundle", "verify", "--bundle", tar.toString(), "--trust", keys.resolve("trust.json").toString(), "--site", "edge-1");
        assertThat(verified.exit()).as(verified.out() + verified.err()).isZero();
        assertThat(verified.out()).contains(revision).contains("edge-1");

        HttpResponse<String> foreign = http.send(get(api, "/sites/edge-2/bundles", edge1), HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(403);

        // the signing key's folder is a key folder: its trust documents are served to agents
        HttpResponse<String> trust = http.send(get(api, "/sites/edge-1/trust", edge1), HttpResponse.BodyHandlers.ofString());
        assertThat(trust.statusCode()).as(trust.body()).isEqualTo(200);
        assertThat(trust.body()).isEqualTo("{\"version\":1}");
        HttpResponse<byte[]> v1 = http.send(get(api, "/sites/edge-1/trust/1", edge1), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(v1.body()).isEqualTo(Files.readAllBytes(keys.resolve("trust.json")));
      }
    }
  }

  private static HttpRequest get(URI api, String path, String token) {
    return HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20)).build();
  }

  private static void writeFleet(GitFixture git) {
    git.write("fleet.yaml", """
        apiVersion: flotilla.dev/v1
        kind: Fleet
        metadata: {name: shops}
        spec:
          tiers:
            - {name: edge, delivery: pull}
        """).write("policies/default.yaml", """
        apiVersion: flotilla.dev/v1
        kind: RolloutPolicy
        metadata: {name: default}
        spec:
          waves:
            - name: all
              selector: {}
        """).write("sites/sites.yaml", """
        apiVersion: flotilla.dev/v1
        kind: Site
        metadata: {name: edge-1}
        spec: {tier: edge, timezone: Europe/Paris}
        ---
        apiVersion: flotilla.dev/v1
        kind: Site
        metadata: {name: edge-2}
        spec: {tier: edge, timezone: Europe/Paris}
        """)
        .write("apps/web/app.yaml", "apiVersion: flotilla.dev/v1\nkind: App\nmetadata: {name: web}\nspec:\n  targets: {}\n  policy: default\n")
        .write("apps/web/base/kustomization.yaml", "resources: [config.yaml]\n")
        .write("apps/web/base/config.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  VERSION: \"1.0\"\n")
        .write("apps/web/overlays/edge/kustomization.yaml", "resources: [../../base]\nnamespace: shop\n");
  }

  private static Run cli(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = Main.run(args);
      return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
