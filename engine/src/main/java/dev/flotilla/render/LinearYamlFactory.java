package dev.flotilla.render;

import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.flotilla.fleet.WholeTextReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.parser.ParserImpl;

/**
 * Jackson's YAML factory with SnakeYAML reading through {@link WholeTextReader}: SnakeYAML's own
 * reader costs the square of a scalar's length, so one 16 MB value in kustomize's output took
 * most of a minute. The text is read whole first (kustomize's output is bounded before it gets
 * here), then scanned in linear time.
 */
final class LinearYamlFactory extends YAMLFactory {
  private static final long serialVersionUID = 1L;

  @Override
  protected YAMLParser _createParser(Reader reader, IOContext ctxt) throws IOException {
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[8192];
    for (int n; (n = reader.read(buffer)) > 0; ) text.append(buffer, 0, n);
    return parser(text.toString(), ctxt);
  }

  @Override
  protected YAMLParser _createParser(char[] data, int offset, int len, IOContext ctxt, boolean recyclable) {
    return parser(new String(data, offset, len), ctxt);
  }

  private YAMLParser parser(String text, IOContext ctxt) {
    LoaderOptions options = _loaderOptions == null ? new LoaderOptions() : _loaderOptions;
    return new LinearParser(ctxt, _parserFeatures, _yamlParserFeatures, _objectCodec, new StringReader(text),
        new ParserImpl(new WholeTextReader("'kustomize output'", text), options));
  }

  /** Only to reach YAMLParser's constructor that takes a ready SnakeYAML parser. */
  private static final class LinearParser extends YAMLParser {
    LinearParser(IOContext ctxt, int parserFeatures, int formatFeatures, com.fasterxml.jackson.core.ObjectCodec codec,
        Reader reader, ParserImpl yamlParser) {
      super(ctxt, parserFeatures, formatFeatures, codec, reader, yamlParser);
    }
  }
}
