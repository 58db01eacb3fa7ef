package dev.flotilla.provider.github;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * GitHub's own OpenAPI description of its REST API, from the npm package {@code @octokit/openapi}
 * (dereferenced, {@code generated/api.github.com.deref.json}), fetched once into
 * {@code target/octokit-openapi} with {@code npm pack} (or taken from {@code $FLOTILLA_OCTOKIT_OPENAPI}).
 * {@link #problems} checks one request against it: the path, the method, the path and query
 * parameters, and the JSON body's required fields, known fields, types and enums.
 */
final class OctokitOpenApi {
  static final String PACKAGE = "@octokit/openapi@23.0.2";
  static final String FILE = "package/generated/api.github.com.deref.json";

  private final Map<String, JsonNode> paths;

  private OctokitOpenApi(Map<String, JsonNode> paths) {
    this.paths = paths;
  }

  /** The description, keeping only the path templates under {@code /repos/{owner}/{repo}/} (the file is 70 MB). */
  static OctokitOpenApi load() throws IOException, InterruptedException {
    Path file = locate();
    ObjectMapper json = new ObjectMapper();
    Map<String, JsonNode> kept = new LinkedHashMap<>();
    try (JsonParser p = new JsonFactory(json).createParser(file.toFile())) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (!field.equals("paths")) {
          p.skipChildren();
          continue;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String path = p.currentName();
          p.nextToken();
          if (path.startsWith("/repos/{owner}/{repo}/")) kept.put(path, json.readTree(p));
          else p.skipChildren();
        }
      }
    }
    if (kept.isEmpty()) throw new IOException(file + " holds no /repos/{owner}/{repo}/ paths: not GitHub's OpenAPI description");
    return new OctokitOpenApi(kept);
  }

  private static Path locate() throws IOException, InterruptedException {
    String given = System.getenv("FLOTILLA_OCTOKIT_OPENAPI");
    if (given != null) return Path.of(given);
    Path dir = Path.of("target", "octokit-openapi").toAbsolutePath();
    Path file = dir.resolve(FILE);
    if (Files.exists(file)) return file;
    Files.createDirectories(dir);
    run(dir, "npm", "pack", PACKAGE, "--silent");
    Path tgz;
    try (var list = Files.list(dir)) {
      tgz = list.filter(f -> f.getFileName().toString().endsWith(".tgz")).findFirst()
          .orElseThrow(() -> new IOException("npm pack " + PACKAGE + " left no .tgz in " + dir));
    }
    run(dir, "tar", "xzf", tgz.toString(), FILE);
    return file;
  }

  private static void run(Path dir, String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("fetch.log").toFile()).start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", argv) + " took over 300 s");
    }
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", argv) + " failed (exit " + p.exitValue() + "): " + Files.readString(dir.resolve("fetch.log")));
    }
  }

  /** What is wrong with the request by GitHub's description; empty when it conforms. */
  List<String> problems(String method, String pathAndQuery, String body) throws IOException {
    List<String> problems = new ArrayList<>();
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
    String[] segments = path.split("/", -1);
    String template = null;
    Map<String, String> params = null;
    for (String t : paths.keySet()) {
      Map<String, String> matched = match(t.split("/", -1), segments);
      // A literal segment beats a parameter: the template with the most literal matches wins.
      if (matched != null && (params == null || matched.size() < params.size())) {
        template = t;
        params = matched;
      }
    }
    if (template == null) return List.of(method + " " + path + ": no such path in GitHub's REST API");
    JsonNode op = paths.get(template).path(method.toLowerCase());
    if (op.isMissingNode()) return List.of(method + " " + template + ": no such operation");
    Map<String, JsonNode> declared = new LinkedHashMap<>();
    for (JsonNode parameter : op.path("parameters")) declared.put(parameter.path("in").asText() + ":" + parameter.path("name").asText(), parameter);
    for (Map.Entry<String, String> e : params.entrySet()) {
      JsonNode parameter = declared.get("path:" + e.getKey());
      if (parameter == null) problems.add(template + ": path parameter " + e.getKey() + " is not declared");
      else problems.addAll(typeProblems(template + " path parameter " + e.getKey(), parameter.path("schema"), e.getValue()));
    }
    if (!query.isEmpty()) {
      for (String pair : query.split("&")) {
        String name = URLDecoder.decode(pair.substring(0, pair.indexOf('=') < 0 ? pair.length() : pair.indexOf('=')), StandardCharsets.UTF_8);
        String value = pair.indexOf('=') < 0 ? "" : URLDecoder.decode(pair.substring(pair.indexOf('=') + 1), StandardCharsets.UTF_8);
        JsonNode parameter = declared.get("query:" + name);
        if (parameter == null) problems.add(template + ": query parameter " + name + " is not declared");
        else problems.addAll(typeProblems(template + " query parameter " + name, parameter.path("schema"), value));
      }
    }
    JsonNode schema = op.path("requestBody").path("content").path("application/json").path("schema");
    boolean bodyRequired = op.path("requestBody").path("required").asBoolean(false);
    if (body == null || body.isEmpty()) {
      if (bodyRequired) problems.add(method + " " + template + ": a JSON body is required");
      return problems;
    }
    if (schema.isMissingNode()) {
      problems.add(method + " " + template + ": takes no JSON body");
      return problems;
    }
    problems.addAll(bodyProblems(method + " " + template, schema, new ObjectMapper().readTree(body)));
    return problems;
  }

  private static Map<String, String> match(String[] template, String[] segments) {
    if (template.length != segments.length) return null;
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < template.length; i++) {
      String t = template[i];
      String s = URLDecoder.decode(segments[i], StandardCharsets.UTF_8);
      if (t.startsWith("{") && t.endsWith("}")) {
        if (s.isEmpty()) return null;
        params.put(t.substring(1, t.length() - 1), s);
      } else if (!t.equals(s)) {
        return null;
      }
    }
    return params;
  }

  private static List<String> typeProblems(String what, JsonNode schema, String value) {
    String type = schema.path("type").asText("");
    if (type.equals("integer") && !value.matches("-?\\d+")) return List.of(what + " must be an integer, is '" + value + "'");
    return List.of();
  }

  private static List<String> bodyProblems(String what, JsonNode schema, JsonNode body) {
    List<String> problems = new ArrayList<>();
    if (!body.isObject()) return List.of(what + ": the body must be a JSON object");
    for (JsonNode required : schema.path("required")) {
      if (!body.has(required.asText())) problems.add(what + ": required field " + required.asText() + " is missing");
    }
    JsonNode properties = schema.path("properties");
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode property = properties.path(field.getKey());
      if (property.isMissingNode()) {
        problems.add(what + ": field " + field.getKey() + " is not in the schema");
        continue;
      }
      String type = property.path("type").isTextual() ? property.path("type").asText() : "";
      JsonNode v = field.getValue();
      boolean ok = switch (type) {
        case "string" -> v.isTextual();
        case "integer" -> v.isIntegralNumber();
        case "number" -> v.isNumber();
        case "boolean" -> v.isBoolean();
        case "object" -> v.isObject();
        case "array" -> v.isArray();
        default -> true; // oneOf / a list of types: not checked further
      };
      if (!ok) problems.add(what + ": field " + field.getKey() + " must be " + type + ", is " + v.getNodeType());
      if (property.has("enum")) {
        boolean listed = false;
        for (JsonNode e : property.path("enum")) listed |= e.equals(v);
        if (!listed) problems.add(what + ": field " + field.getKey() + " is " + v + ", not one of " + property.path("enum"));
      }
    }
    return problems;
  }
}
