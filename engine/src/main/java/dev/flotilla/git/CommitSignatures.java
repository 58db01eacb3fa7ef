package dev.flotilla.git;

import dev.flotilla.fleet.AllowedSigner;
import dev.flotilla.fleet.SignedCommits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SignatureVerifiers;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.util.RawParseUtils;

/**
 * Judges a commit's signature against a list of allowed signers ({@code requireSignedCommits}, or
 * the engine's pinned {@code --allowed-signers}; refusals name the list). The
 * signature must be by one of their keys and must verify over the commit as stored (its tree,
 * parents, author, committer and message), so a commit altered after signing is refused like an
 * unsigned one. OpenPGP signatures are checked with Bouncy Castle against the keys in the list
 * ({@link OpenPgpCommitSignature}); SSH signatures with JGit's SSH signature verifier
 * ({@link SshCommitSignature}). Thread-safe.
 */
final class CommitSignatures {
  private static final byte[] GPGSIG = "gpgsig".getBytes(StandardCharsets.US_ASCII);

  private final Repository repository;
  private final String location;
  private final SshCommitSignature ssh;

  CommitSignatures(Repository repository, String location, Path allowedSignersDir) {
    this.repository = repository;
    this.location = location;
    this.ssh = new SshCommitSignature(repository, allowedSignersDir);
  }

  SignatureVerdict check(ObjectId id, SignedCommits policy) throws GitSyncException {
    String commit = id.name();
    String shortId = SignatureVerdict.shortId(commit);
    byte[] raw;
    byte[] signature;
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit parsed = walk.parseCommit(id);
      raw = parsed.getRawBuffer();
      signature = parsed.getRawGpgSignature();
    } catch (IOException e) {
      throw new GitSyncException(location, commit, GitSyncException.Reason.IO, "reading commit " + shortId + ": " + e.getMessage(), e);
    }
    if (signature == null) {
      return new SignatureVerdict.Refused(commit, "commit " + shortId + " is not signed; " + policy.origin().description()
          + " allows only commits signed by " + names(policy.allowedSigners()));
    }
    byte[] signed = withoutSignature(raw);
    try {
      return switch (SignatureVerifiers.getFormat(signature)) {
        case OPENPGP -> OpenPgpCommitSignature.check(commit, signed, signature, policy);
        case SSH -> ssh.check(commit, signed, signature, policy);
        case X509 -> new SignatureVerdict.Refused(commit, "commit " + shortId
            + " has an X.509 (gpgsm) signature; " + policy.origin().description() + " takes OpenPGP and SSH keys");
      };
    } catch (IOException e) {
      throw new GitSyncException(location, commit, GitSyncException.Reason.IO,
          "checking the signature of commit " + shortId + ": " + e.getMessage(), e);
    }
  }

  /** The allowed signers' names, for messages: {@code alice, bob}. */
  static String names(List<AllowedSigner> signers) {
    return signers.stream().map(AllowedSigner::name).reduce((a, b) -> a + ", " + b).orElse("(nobody)");
  }

  /**
   * The bytes a commit's signature covers: the commit as stored without its {@code gpgsig} header
   * (the header and its continuation lines), which is what Git signs before adding the header.
   */
  static byte[] withoutSignature(byte[] raw) {
    int value = RawParseUtils.headerStart(GPGSIG, raw, 0);
    if (value < 0) return raw;
    int start = value - GPGSIG.length - 1;
    // The header's last line feed, which goes with it.
    int end = RawParseUtils.nextLfSkippingSplitLines(raw, value);
    if (end < raw.length && raw[end] == '\n') end++;
    byte[] out = new byte[raw.length - (end - start)];
    System.arraycopy(raw, 0, out, 0, start);
    System.arraycopy(raw, end, out, start, raw.length - end);
    return out;
  }
}
