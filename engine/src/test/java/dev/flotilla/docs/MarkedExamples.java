package dev.flotilla.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The runnable examples of a Markdown file: every fenced {@code bash} block whose opening fence
 * comes right after a line {@code <!-- example -->} (blank lines between them are allowed). Each
 * block is a list of commands; a line ending in a backslash continues on the next, and blank and
 * comment lines are skipped.
 */
record MarkedExamples(Path file, List<Block> blocks) {
  static final String MARKER = "<!-- example -->";

  /** One marked block: where it starts (1-based line of its opening fence) and its commands. */
  record Block(Path file, int line, List<String> commands) {
    @Override
    public String toString() {
      return file.getFileName() + ":" + line;
    }
  }

  static MarkedExamples read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    List<Block> blocks = new ArrayList<>();
    boolean marked = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.equals(MARKER)) {
        marked = true;
      } else if (marked && line.equals("```bash")) {
        int start = i + 1;
        List<String> body = new ArrayList<>();
        for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) body.add(lines.get(i));
        blocks.add(new Block(file, start, commands(body)));
        marked = false;
      } else if (!line.isEmpty()) {
        marked = false;
      }
    }
    return new MarkedExamples(file, List.copyOf(blocks));
  }

  private static List<String> commands(List<String> body) {
    List<String> commands = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (String raw : body) {
      String line = raw.strip();
      if (pending.isEmpty() && (line.isEmpty() || line.startsWith("#"))) continue;
      if (line.endsWith("\\")) {
        pending.append(line.substring(0, line.length() - 1).strip()).append(' ');
        continue;
      }
      pending.append(line);
      commands.add(pending.toString());
      pending.setLength(0);
    }
    if (!pending.isEmpty()) commands.add(pending.toString().strip());
    return List.copyOf(commands);
  }
}
