package dev.flotilla.cli;

import dev.flotilla.bundle.BundleException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the passphrase of encrypted private keys comes from: an environment variable or a file, never the command line. */
final class PassphraseOptions {
  @Option(names = "--passphrase-env", paramLabel = "VAR", description = "Environment variable holding the key passphrase (default: FLOTILLA_KEY_PASSPHRASE).")
  String env = "FLOTILLA_KEY_PASSPHRASE";

  @Option(names = "--passphrase-file", paramLabel = "FILE", description = "File whose first line is the key passphrase.")
  Path file;

  /** Hidden: fewer PBKDF2 iterations for tests. */
  @Option(names = "--kdf-iterations", hidden = true)
  int iterations = dev.flotilla.bundle.KeyFile.DEFAULT_ITERATIONS;

  char[] read() throws BundleException {
    String value;
    if (file != null) {
      try {
        value = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
      } catch (IOException e) {
        throw new BundleException("cannot read passphrase file " + file, e);
      }
    } else {
      value = System.getenv(env);
      if (value == null) throw new BundleException("no passphrase: set " + env + " or give --passphrase-file FILE");
    }
    if (value.isEmpty()) throw new BundleException("the key passphrase is empty");
    return value.toCharArray();
  }
}
