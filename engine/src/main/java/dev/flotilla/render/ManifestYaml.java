package dev.flotilla.render;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The one YAML reader and writer of rendered manifests, shared by every thread (Jackson's mapper
 * and writer are thread-safe once configured). The settings are fixed so the same tree always
 * becomes the same bytes: no document markers (the caller joins documents), quotes only where a
 * plain scalar would change type (so {@code "true"}, {@code "123"} and {@code "0001"} stay strings), multi-line
 * strings as literal blocks and long strings unsplit. Reading is linear in the text's length
 * ({@link LinearYamlFactory}).
 */
final class ManifestYaml {
  static final YAMLMapper MAPPER = YAMLMapper.builder(new LinearYamlFactory())
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .disable(YAMLGenerator.Feature.SPLIT_LINES)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      // Without it MINIMIZE_QUOTES writes the string "123" bare, and readers see a number.
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
      .build();
  static final ObjectWriter WRITER = MAPPER.writer();

  private ManifestYaml() {}
}
