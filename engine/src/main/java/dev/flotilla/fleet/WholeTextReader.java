package dev.flotilla.fleet;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.scanner.Constant;

/**
 * SnakeYAML's reader over a text already in memory, in linear time. SnakeYAML's own reader refills
 * a window 1,024 characters at a time and copies everything not yet consumed on each refill; a
 * scalar is consumed only once it has been scanned whole, so a long scalar costs the square of its
 * length (16 MB took 52 s). This reader decodes the text once into code points and only moves a
 * pointer. Every public method of {@link StreamReader} is overridden with the same semantics (line
 * and column counting, BOM, document index for the code point limit); the parent's buffer stays
 * empty and unused.
 */
public final class WholeTextReader extends StreamReader {
  private final String name;
  private final int[] text;
  private int pointer;
  private int index;
  private int documentIndex;
  private int line;
  private int column;

  /**
   * @throws MarkedYAMLException at the line of the first character YAML does not allow (control
   *     characters other than tab and line breaks)
   */
  public WholeTextReader(String name, String content) {
    super("");
    this.name = name;
    this.text = content.codePoints().toArray();
    for (int i = 0; i < text.length; i++) {
      if (!isPrintable(text[i])) throw new Unprintable(new Mark(name, i, lineAt(i), 0, text, i), text[i]);
    }
  }

  /** A character YAML refuses; carries its line so the problem names it. */
  static final class Unprintable extends MarkedYAMLException {
    Unprintable(Mark mark, int codePoint) {
      super(null, null, String.format("control character U+%04X is not allowed in YAML", codePoint), mark);
    }
  }

  private int lineAt(int position) {
    int n = 0;
    for (int i = 0; i < position; i++) if (text[i] == '\n') n++;
    return n;
  }

  @Override
  public Mark getMark() {
    return new Mark(name, index, line, column, text, pointer);
  }

  @Override
  public void forward() {
    forward(1);
  }

  @Override
  public void forward(int length) {
    for (int i = 0; i < length && pointer < text.length; i++) {
      int c = text[pointer++];
      index++;
      documentIndex++;
      if (Constant.LINEBR.has(c) || (c == '\r' && pointer < text.length && text[pointer] != '\n')) {
        line++;
        column = 0;
      } else if (c != 0xFEFF) {
        column++;
      }
    }
  }

  @Override
  public int peek() {
    return pointer < text.length ? text[pointer] : 0;
  }

  @Override
  public int peek(int offset) {
    return pointer + offset < text.length ? text[pointer + offset] : 0;
  }

  @Override
  public String prefix(int length) {
    if (length == 0) return "";
    return new String(text, pointer, Math.min(length, text.length - pointer));
  }

  @Override
  public String prefixForward(int length) {
    String prefix = prefix(length);
    pointer += length;
    index += length;
    documentIndex += length;
    column += length; // a prefix never holds a line break
    return prefix;
  }

  @Override
  public int getColumn() {
    return column;
  }

  @Override
  public int getDocumentIndex() {
    return documentIndex;
  }

  @Override
  public void resetDocumentIndex() {
    documentIndex = 0;
  }

  @Override
  public int getIndex() {
    return index;
  }

  @Override
  public int getLine() {
    return line;
  }
}
