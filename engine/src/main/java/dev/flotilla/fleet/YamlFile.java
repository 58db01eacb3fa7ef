package dev.flotilla.fleet;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The documents of one YAML file as position-carrying node trees (SnakeYAML's composer), so that
 * every later problem can name its line. A syntax error becomes a problem, and the documents
 * before it are still returned.
 */
final class YamlFile {
  private YamlFile() {}

  static List<Node> documents(Path root, Path file, Problems problems) {
    String rel = relative(root, file);
    List<Node> docs = new ArrayList<>();
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true); // Fields reports duplicates with their line
    options.setCodePointLimit(64 * 1024 * 1024);
    String text;
    try {
      text = decode(Files.readAllBytes(file));
    } catch (Utf8Error e) {
      problems.add(rel, e.line, "", "not valid UTF-8: " + e.getMessage());
      return docs;
    } catch (IOException e) {
      problems.add(rel, 1, "", "cannot read file: " + e.getMessage());
      return docs;
    }
    try {
      for (Node doc : new Yaml(options).composeAll(new StringReader(text))) {
        // An empty document (a stray or trailing "---") is skipped, as kubectl does.
        boolean empty = doc == null || (doc instanceof ScalarNode s && s.getTag().equals(Tag.NULL));
        if (!empty) docs.add(doc);
      }
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int line = mark == null ? 1 : mark.getLine() + 1;
      String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
      problems.add(rel, line, "", "YAML syntax error: " + what.trim());
    } catch (YAMLException e) {
      // Errors without a position (too many aliases) are placed at the alias past the limit.
      problems.add(rel, aliasPastLimit(text, options.getMaxAliasesForCollections()), "", "YAML error: " + e.getMessage());
    }
    return docs;
  }

  /** Invalid UTF-8, with the line of the first bad byte. */
  private static final class Utf8Error extends IOException {
    final int line;

    Utf8Error(int line, int offset) {
      super("the byte at offset " + offset + " (line " + line + ") is not part of a UTF-8 character; save the file as UTF-8");
      this.line = line;
    }
  }

  private static String decode(byte[] bytes) throws Utf8Error {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int offset = in.position();
      int line = 1;
      for (int i = 0; i < offset; i++) if (bytes[i] == '\n') line++;
      throw new Utf8Error(line, offset);
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  /** The line of the first alias past {@code limit} aliases, else 1. */
  private static int aliasPastLimit(String text, int limit) {
    int aliases = 0;
    try {
      for (Event event : new Yaml().parse(new StringReader(text))) {
        if (event instanceof AliasEvent && ++aliases > limit && event.getStartMark() != null) {
          return event.getStartMark().getLine() + 1;
        }
      }
    } catch (YAMLException e) {
      // The composer failed first; the parser's own error is no better placed.
    }
    return 1;
  }

  static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace('\\', '/');
  }
}
