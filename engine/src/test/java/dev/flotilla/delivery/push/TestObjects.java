package dev.flotilla.delivery.push;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test objects written as YAML, read the way the applier reads rendered manifests. */
final class TestObjects {
  private static final YAMLMapper YAML = new YAMLMapper();

  private TestObjects() {}

  static Map<String, Object> yaml(String yaml) {
    try {
      return YAML.readValue(yaml, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A minimal object; {@code annotations} in YAML flow style, or empty. */
  static Map<String, Object> object(String apiVersion, String kind, String namespace, String name, String annotations) {
    return yaml("apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata: {name: " + name
        + (namespace.isEmpty() ? "" : ", namespace: " + namespace)
        + (annotations.isEmpty() ? "" : ", annotations: " + annotations) + "}\n");
  }

  /** A nested object of a test object, as a map. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node) {
    return (Map<String, Object>) node;
  }

  /** A test object as JSON. */
  static String json(Map<String, Object> object) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(object);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
