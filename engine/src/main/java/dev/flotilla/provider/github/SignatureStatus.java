package dev.flotilla.provider.github;

import dev.flotilla.provider.CommitState;
import dev.flotilla.provider.CommitStatus;
import dev.flotilla.provider.ProviderApi;
import dev.flotilla.provider.ProviderException;

/**
 * The commit status {@code flotilla/signature} of the revisions the engine follows under {@code
 * requireSignedCommits} or the engine's pinned {@code --allowed-signers}: {@code failure} with the reason when a revision is refused ("commit
 * abc1234 is not signed ..."), {@code success} with the signer when one is accepted. Each verdict is
 * sent once: a refused revision is judged again at every poll, and says the same each time.
 */
public final class SignatureStatus {
  public static final String CONTEXT = "flotilla/signature";

  private final ProviderApi api;
  private final String repo;
  private String lastSent;

  public SignatureStatus(ProviderApi api, String repo) {
    this.api = api;
    this.repo = repo;
  }

  /** The revision {@code commit} was refused, for {@code reason}. */
  public void refused(String commit, String reason) throws ProviderException {
    send(commit, new CommitStatus(CONTEXT, CommitState.FAILURE, "refused: " + reason, null));
  }

  /** The revision {@code commit} was accepted, signed by {@code signer}. */
  public void accepted(String commit, String signer) throws ProviderException {
    send(commit, new CommitStatus(CONTEXT, CommitState.SUCCESS, "signed by " + signer, null));
  }

  private synchronized void send(String commit, CommitStatus status) throws ProviderException {
    String key = commit + " " + status.state();
    if (key.equals(lastSent)) return;
    api.setStatus(repo, commit, status);
    lastSent = key;
  }
}
