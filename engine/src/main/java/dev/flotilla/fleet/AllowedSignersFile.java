package dev.flotilla.fleet;

import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The engine's pinned allowed signers ({@code flotilla serve --allowed-signers FILE}): one YAML
 * document holding what {@code fleet.yaml}'s {@code requireSignedCommits} holds,
 * {@code allowedSigners: [{name, openpgp | ssh}, ...]}, read and checked by the same reader, so a
 * problem names the file, line and field as fleet validation does. The caller reads the file; this
 * class only reads its text.
 */
public final class AllowedSignersFile {
  private AllowedSignersFile() {}

  /**
   * The list in {@code text}; {@code file} names it in problems.
   *
   * @throws FleetValidationException with every problem found, each at its line and field
   */
  public static SignedCommits parse(String file, String text) throws FleetValidationException {
    Problems problems = new Problems();
    List<AllowedSigner> signers = read(file, text, problems);
    if (!problems.isEmpty()) throw new FleetValidationException(problems.sorted());
    return new SignedCommits(signers, SignedCommits.Origin.ENGINE_PIN);
  }

  /** A problem in a file that could not be read at all (missing, too large, not UTF-8), in the same form. */
  public static FleetValidationException unreadable(String file, String reason) {
    return new FleetValidationException(List.of(new Problem(file, 0, "", reason)));
  }

  private static List<AllowedSigner> read(String file, String text, Problems problems) {
    List<Node> documents;
    try {
      documents = BoundedYaml.documents(file, text, ReadLimits.DEFAULT);
    } catch (RepoFileException e) {
      problems.add(e.file(), e.line(), "", e.reason());
      return List.of();
    }
    if (documents.isEmpty()) {
      problems.add(file, 0, "", "expected allowedSigners: a list of {name, openpgp | ssh}; the file is empty");
      return List.of();
    }
    if (documents.size() > 1) {
      problems.add(file, Fields.line(documents.get(1)), "", "expected one YAML document, got " + documents.size());
    }
    Fields root = new Fields(file, "", documents.get(0), problems);
    if (!root.isPresent()) return List.of();
    return SignedCommitsReader.allowedSigners(root, SignedCommits.Origin.ENGINE_PIN);
  }
}
