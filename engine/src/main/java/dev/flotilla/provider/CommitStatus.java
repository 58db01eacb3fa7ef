package dev.flotilla.provider;

/** One commit status: its context ({@code ci/build}), state, description and link. */
public record CommitStatus(String context, CommitState state, String description, String targetUrl) {
  public CommitStatus {
    if (context == null || context.isBlank()) throw new IllegalArgumentException("a commit status needs a context");
    if (state == null) throw new IllegalArgumentException("commit status " + context + " needs a state");
    // GitHub refuses descriptions over 140 characters with a 422.
    if (description != null && description.length() > 140) description = description.substring(0, 139) + "…";
  }
}
