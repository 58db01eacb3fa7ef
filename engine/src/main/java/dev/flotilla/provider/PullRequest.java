package dev.flotilla.provider;

import java.util.Objects;

/**
 * A pull request (GitLab: a merge request) as the provider reports it: its number (GitLab: the
 * merge request's iid), its web address, and its state as the provider spells it ({@code open},
 * {@code closed}; GitLab {@code opened}, {@code closed}, {@code merged}).
 */
public record PullRequest(int number, String url, String state) {
  public PullRequest {
    Objects.requireNonNull(state, "state");
    url = url == null ? "" : url;
  }
}
