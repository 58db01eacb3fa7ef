package dev.flotilla.render;

import dev.flotilla.fleet.OverlayInputs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The render cache key of an overlay: a content hash of everything its build depends on. Which
 * files those are, and that they all lie inside the fleet repo, is {@link OverlayInputs}' business;
 * this class only hashes them, with the renderer's fingerprint and the remote resources the
 * overlay is allowed to fetch (each pinned to a commit, so its text names its content).
 */
final class InputTree {
  private InputTree() {}

  /**
   * SHA-256 over {@code salt} (the renderer's fingerprint), every input file's relative path and
   * bytes in path order, and every remote resource, each length-prefixed so no two trees can run
   * together.
   */
  static String hash(OverlayInputs.Result inputs, String salt) throws IOException {
    MessageDigest digest = sha256();
    update(digest, salt.getBytes(StandardCharsets.UTF_8));
    for (Map.Entry<String, Path> file : inputs.files().entrySet()) {
      update(digest, file.getKey().getBytes(StandardCharsets.UTF_8));
      updateWithFile(digest, file.getValue());
    }
    for (String remote : inputs.remotes()) {
      update(digest, ("remote:" + remote).getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void update(MessageDigest digest, byte[] bytes) {
    digest.update(ByteBuffer.allocate(Long.BYTES).putLong(bytes.length).array());
    digest.update(bytes);
  }

  /** Streamed, so a large resource file is never held in memory whole. */
  private static void updateWithFile(MessageDigest digest, Path file) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long length = 0;
    MessageDigest content = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        content.update(buffer, 0, n);
        length += n;
      }
    }
    digest.update(ByteBuffer.allocate(Long.BYTES).putLong(length).array());
    digest.update(content.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
