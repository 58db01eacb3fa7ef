/**
 * Git sync and revision snapshots: the fleet repo read at a revision as an immutable folder.
 *
 * <p>{@link dev.flotilla.git.FleetRepoSource} is the port; it is opened from a local path or a URL
 * and hands out {@link dev.flotilla.git.Snapshot}s. {@link dev.flotilla.git.GitSyncException} is
 * its one checked exception.
 *
 * <h2>Cache layout</h2>
 *
 * <pre>
 * &lt;cacheDir&gt;/git/&lt;first 16 hex of sha256(url without credentials)&gt;.git   bare mirror of a URL's branches and tags
 * &lt;cacheDir&gt;/trees/&lt;commit&gt;/                                           snapshot of a whole repository
 * &lt;cacheDir&gt;/trees/&lt;commit&gt;-&lt;first 12 hex of sha256(sub-folder)&gt;/       snapshot of a sub-folder
 * </pre>
 *
 * Snapshots and the first clone are built in {@code .tmp-*} / {@code .clone-*} folders and renamed
 * into place; such a folder left by a crash is never read and may be deleted. The mirror never
 * prunes refs and runs no automatic garbage collection, so commits dropped by a force push stay
 * readable (for a rollback, say).
 *
 * <h2>Authentication</h2>
 *
 * <ul>
 *   <li>HTTP(S): a token from an environment variable or a file ({@link dev.flotilla.git.GitAuth}),
 *       sent as the password of HTTP Basic auth. A token never reaches logs, exception messages or
 *       the mirror's config.
 *   <li>SSH ({@code ssh://host/path} and {@code git@host:path}), through JGit's Apache MINA sshd
 *       transport: {@code GitAuth.sshKey(privateKey, knownHosts)} uses that key (public-key auth
 *       only) and trusts only the host keys listed in that {@code known_hosts} file; a host not
 *       listed is refused. Make the file with {@code ssh-keyscan -t ed25519 github.com >
 *       known_hosts}. Keys with a passphrase are not supported. Without a key the user's {@code
 *       ~/.ssh} (config, keys, known_hosts) applies.
 * </ul>
 */
package dev.flotilla.git;
