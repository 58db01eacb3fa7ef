package dev.flotilla.agent;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/** A verified bundle's manifest files read into the objects the applier sends, as push delivery reads a render. */
final class BundleObjects {
  private static final YAMLMapper YAML = YAMLMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

  private BundleObjects() {}

  static List<Map<String, Object>> of(SortedMap<String, byte[]> files) throws AgentException {
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      try (MappingIterator<LinkedHashMap<String, Object>> docs = YAML.readerFor(new TypeReference<LinkedHashMap<String, Object>>() {})
          .readValues(f.getValue())) {
        while (docs.hasNextValue()) {
          LinkedHashMap<String, Object> o = docs.nextValue();
          if (o != null && !o.isEmpty()) objects.add(o);
        }
      } catch (IOException | RuntimeException e) {
        throw new AgentException("manifest file " + f.getKey() + " of the bundle is not YAML objects: " + e.getMessage(), e);
      }
    }
    return objects;
  }
}
