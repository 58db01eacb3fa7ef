package dev.flotilla.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What an agent has installed, per app, on disk across restarts: {@code {"apps":{"pos":{"sequence":7,
 * "statementSha256":"..."}}}}. It fails closed: once created, a missing or unreadable file is an
 * error (an agent that forgot its sequence would accept a replayed older bundle), never "nothing
 * installed". Every change is written atomically.
 */
public final class InstalledState {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final Path file;

  public InstalledState(Path file) {
    this.file = file;
  }

  /** Creates the file with nothing installed; refuses when it exists, so a state is never reset by accident. */
  public void create() throws BundleException {
    if (Files.exists(file)) throw new BundleException(file + " exists: refusing to forget what is installed");
    write(new TreeMap<>());
  }

  /** What is installed for {@code app}; {@link Installed#NONE} when the app has never been installed. */
  public Installed get(String app) throws BundleException {
    return read().getOrDefault(app, Installed.NONE);
  }

  /** Records an accepted bundle as installed. */
  public void record(Statement statement, String statementSha256) throws BundleException {
    SortedMap<String, Installed> all = read();
    Installed before = all.getOrDefault(statement.app(), Installed.NONE);
    if (statement.sequence() < before.sequence()) {
      throw new BundleException("refusing to record sequence " + statement.sequence() + " of " + statement.app() + " below installed " + before.sequence());
    }
    all.put(statement.app(), new Installed(statement.sequence(), statementSha256));
    write(all);
  }

  SortedMap<String, Installed> read() throws BundleException {
    JsonNode root;
    try {
      root = Envelope.JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new BundleException("installed state " + file + " is missing: refusing to verify bundles without knowing what is installed");
    } catch (IOException e) {
      throw new BundleException("installed state " + file + " is corrupt", e);
    }
    SortedMap<String, Installed> all = new TreeMap<>();
    JsonNode apps = root == null ? null : root.get("apps");
    if (apps == null || !apps.isObject()) throw new BundleException("installed state " + file + " is corrupt: no apps object");
    for (Iterator<Map.Entry<String, JsonNode>> it = apps.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode seq = e.getValue().get("sequence");
      JsonNode sha = e.getValue().get("statementSha256");
      if (seq == null || !seq.canConvertToLong() || !seq.isIntegralNumber() || seq.longValue() < 1 || sha == null
          || !SHA256.matcher(sha.asText()).matches()) {
        throw new BundleException("installed state " + file + " is corrupt: bad entry for " + e.getKey());
      }
      all.put(e.getKey(), new Installed(seq.longValue(), sha.asText()));
    }
    return all;
  }

  private void write(SortedMap<String, Installed> all) throws BundleException {
    ObjectNode root = Envelope.JSON.createObjectNode();
    ObjectNode apps = root.putObject("apps");
    all.forEach((app, i) -> apps.putObject(app).put("sequence", i.sequence()).put("statementSha256", i.statementSha256()));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      AtomicFiles.write(file, Envelope.JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(root));
    } catch (IOException e) {
      throw new BundleException("cannot write installed state " + file, e);
    }
  }
}
