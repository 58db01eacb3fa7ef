package dev.flotilla.render;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * 128 bits of SHA-256 over what a site's render of an app holds, the revision left out: equal
 * digests at two revisions mean the commit changed nothing the site would apply. A site's digest is
 * made from its objects' digests (each of one object's YAML, the revision replaced by a
 * placeholder), so that a re-render can take over the digests of objects whose text did not change.
 */
public record RenderDigest(long high, long low) {
  /** The digest of one stamped object's YAML, the revision replaced by a placeholder. */
  static RenderDigest ofObject(String yaml, String revision) {
    return of(sha256().digest(yaml.replace(revision, "<rev>").getBytes(StandardCharsets.UTF_8)));
  }

  /** A site's digest from its objects' digests, in the render's order. */
  static RenderDigest ofObjects(List<RenderDigest> objects) {
    MessageDigest sha = sha256();
    ByteBuffer buffer = ByteBuffer.allocate(16);
    for (RenderDigest d : objects) {
      buffer.clear();
      buffer.putLong(d.high).putLong(d.low);
      sha.update(buffer.array());
    }
    return of(sha.digest());
  }

  /** The digest of a desired state made from its manifests. */
  public static RenderDigest of(DesiredState state) {
    List<RenderDigest> objects = new java.util.ArrayList<>(state.manifests().size());
    for (Manifest m : state.manifests()) objects.add(ofObject(m.yaml(), state.revision()));
    return ofObjects(objects);
  }

  private static RenderDigest of(byte[] sha) {
    ByteBuffer bytes = ByteBuffer.wrap(sha);
    return new RenderDigest(bytes.getLong(), bytes.getLong());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }
}
