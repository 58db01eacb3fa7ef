package dev.flotilla.cli;

/** The {@code --repo} argument: a URL, or a local folder's absolute path (see {@link Launch#repoLocation}). */
record RepoLocation(String value) {
  @Override
  public String toString() {
    return value;
  }
}
