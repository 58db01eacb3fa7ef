package dev.flotilla.delivery.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.flotilla.render.DesiredState;
import dev.flotilla.render.Manifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A site's desired state as the objects the applier sends: each rendered manifest read back into
 * maps. Decimals are read as exact decimals here (the render already quoted every string that
 * would read as another type); note that fabric8's own serialization, which the applier goes
 * through, may still send an unquoted {@code 1.10} as {@code 1.1}: quote such values in Git.
 */
public final class RenderedObjects {
  private static final YAMLMapper YAML = YAMLMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

  private RenderedObjects() {}

  /** @throws ManifestException when a manifest is not one YAML object (a render bug, named by object) */
  public static List<Map<String, Object>> of(DesiredState desired) throws ManifestException {
    List<Manifest> manifests = desired.manifests(); // stamped on each call: once here
    List<Map<String, Object>> objects = new ArrayList<>(manifests.size());
    for (Manifest m : manifests) {
      try {
        Map<String, Object> o = YAML.readValue(m.yaml(), new TypeReference<LinkedHashMap<String, Object>>() {});
        if (o == null) throw new ManifestException(m.id(), "", "the manifest is empty");
        objects.add(o);
      } catch (JsonProcessingException e) {
        throw new ManifestException(m.id(), "", "not one YAML object: " + e.getOriginalMessage());
      }
    }
    return objects;
  }
}
