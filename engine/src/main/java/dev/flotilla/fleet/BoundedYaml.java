package dev.flotilla.fleet;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Composes YAML text into position-carrying node trees (SnakeYAML's composer, so every later
 * problem can name its line) within {@link ReadLimits}: in linear time ({@link WholeTextReader}),
 * with each scalar's length checked as the parser meets it, nesting at most 50 deep, and each
 * document's size after alias expansion counted (shared nodes once each, in linear time) before
 * anyone walks it. Empty documents are skipped, as kubectl does.
 */
public final class BoundedYaml {
  private static final int MAX_NESTING = 50;

  private BoundedYaml() {}

  /**
   * The documents of {@code text}; {@code file} names it in errors.
   *
   * @throws RepoFileException for a syntax error or a limit passed, with its line
   */
  public static List<Node> documents(String file, String text, ReadLimits limits) throws RepoFileException {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true); // Fields reports duplicates with their line
    options.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, Math.max(limits.maxFileBytes(), 1024)));
    options.setNestingDepthLimit(MAX_NESTING);
    List<Node> docs = new ArrayList<>();
    try {
      Parser parser = new ScalarLimit(new ParserImpl(new WholeTextReader(file, text), options), limits.maxScalarChars());
      Composer composer = new Composer(parser, new Resolver(), options);
      while (composer.checkNode()) {
        Node doc = composer.getNode();
        boolean empty = doc == null || (doc instanceof ScalarNode s && s.getTag().equals(Tag.NULL));
        if (empty) continue;
        long nodes = expandedSize(doc, limits.maxDocumentNodes());
        if (nodes > limits.maxDocumentNodes()) {
          throw new RepoFileException(file, line(doc), "the document has more than " + limits.maxDocumentNodes()
              + " nodes once its aliases are expanded (a \"billion laughs\" document?): not read");
        }
        docs.add(doc);
      }
    } catch (ScalarLimit.TooLong e) {
      throw new RepoFileException(file, e.line, e.getMessage());
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
      throw new RepoFileException(file, mark == null ? 0 : mark.getLine() + 1, "YAML syntax error: " + cut(what.trim()));
    } catch (YAMLException e) {
      // Errors without a position (too many aliases) are placed at the alias past the limit.
      throw new RepoFileException(file, aliasPastLimit(text), "YAML error: " + cut(String.valueOf(e.getMessage())));
    }
    return docs;
  }

  /** SnakeYAML quotes what it found (an alias name, a token) whole; a hostile file makes that megabytes. */
  private static String cut(String message) {
    return Names.shorten(message);
  }

  /** The line of the first alias past SnakeYAML's default limit for collections (50), else 1. */
  private static int aliasPastLimit(String text) {
    int aliases = 0;
    try {
      for (Event event : new org.yaml.snakeyaml.Yaml().parse(new java.io.StringReader(text))) {
        if (event instanceof org.yaml.snakeyaml.events.AliasEvent && ++aliases > new LoaderOptions().getMaxAliasesForCollections()
            && event.getStartMark() != null) {
          return event.getStartMark().getLine() + 1;
        }
      }
    } catch (YAMLException e) {
      // The composer failed first; the parser's own error is no better placed.
    }
    return 1;
  }

  /** The number of nodes of the tree with every alias expanded, counted up to {@code cap} (then cap + 1). */
  static long expandedSize(Node root, long cap) {
    return size(root, new IdentityHashMap<>(), cap);
  }

  private static long size(Node node, Map<Node, Long> memo, long cap) {
    Long known = memo.get(node);
    if (known != null) return known;
    memo.put(node, cap + 1); // a node met again while being counted is a cycle: as good as infinite
    long total = 1;
    if (node instanceof SequenceNode seq) {
      for (Node child : seq.getValue()) total = add(total, size(child, memo, cap), cap);
    } else if (node instanceof MappingNode map) {
      for (NodeTuple t : map.getValue()) {
        total = add(total, size(t.getKeyNode(), memo, cap), cap);
        total = add(total, size(t.getValueNode(), memo, cap), cap);
      }
    }
    memo.put(node, total);
    return total;
  }

  private static long add(long a, long b, long cap) {
    return Math.min(cap + 1, a + b);
  }

  private static int line(Node node) {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }

  /** Passes events through, refusing a scalar longer than the limit before the composer keeps it. */
  private static final class ScalarLimit implements Parser {
    private final Parser parser;
    private final int max;

    ScalarLimit(Parser parser, int max) {
      this.parser = parser;
      this.max = max;
    }

    static final class TooLong extends RuntimeException {
      final int line;

      TooLong(int line, String message) {
        super(message, null, false, false);
        this.line = line;
      }
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
      return check(parser.peekEvent()) != null && parser.checkEvent(choice);
    }

    @Override
    public Event peekEvent() {
      return check(parser.peekEvent());
    }

    @Override
    public Event getEvent() {
      return check(parser.getEvent());
    }

    private Event check(Event event) {
      if (event instanceof ScalarEvent s && s.getValue().length() > max) {
        int line = s.getStartMark() == null ? 0 : s.getStartMark().getLine() + 1;
        throw new TooLong(line, "a scalar of " + s.getValue().length() + " characters is longer than the limit of "
            + max + " (" + ReadLimits.SCALAR_ENV + "): not read");
      }
      return event;
    }
  }
}
