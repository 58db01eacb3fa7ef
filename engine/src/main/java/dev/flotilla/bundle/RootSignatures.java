package dev.flotilla.bundle;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Counts who signed a trust document: the distinct root keys with a valid signature. Key ids in the
 * envelope are ignored (each signature is tried against every root), and two signatures by one key
 * count once, so a threshold cannot be met by repeating a signature or by naming another key's id.
 */
final class RootSignatures {
  private RootSignatures() {}

  static Set<String> distinctSigners(List<VerifyingKey> roots, Envelope envelope) {
    byte[] pae = envelope.pae();
    Set<String> signers = new TreeSet<>();
    for (Envelope.Signature s : envelope.signatures()) {
      byte[] sig = s.sig();
      for (VerifyingKey root : roots) {
        if (root.verifies(pae, sig)) signers.add(root.keyId());
      }
    }
    return signers;
  }

  static void requireThreshold(List<VerifyingKey> roots, int threshold, Envelope envelope, String whose) throws Rejection {
    int count = distinctSigners(roots, envelope).size();
    if (count < threshold) {
      throw new Rejection(RejectReason.BELOW_THRESHOLD, "signed by " + count + " distinct " + whose + " root key(s), " + threshold + " needed");
    }
  }
}
