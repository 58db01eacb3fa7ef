package dev.flotilla.bundle;

/**
 * The two ways a trust document is accepted. The first is taken on trust, like TUF's first root:
 * installed with the agent or copied from removable media, it must be signed by a threshold of its
 * own roots. Every later one must be the next version and signed by a threshold of the current
 * roots (checked before its payload is parsed) and of its own.
 */
final class TrustDocuments {
  private TrustDocuments() {}

  static TrustDocument bootstrap(byte[] envelopeJson) throws Rejection {
    Envelope env = Envelope.parse(envelopeJson);
    requireType(env);
    TrustDocument doc = TrustDocument.parse(env.payload());
    RootSignatures.requireThreshold(doc.roots(), doc.rootThreshold(), env, "its own");
    return doc;
  }

  static TrustDocument next(TrustDocument current, byte[] envelopeJson) throws Rejection {
    Envelope env = Envelope.parse(envelopeJson);
    RootSignatures.requireThreshold(current.roots(), current.rootThreshold(), env, "current (version " + current.version() + ")");
    requireType(env);
    TrustDocument doc = TrustDocument.parse(env.payload());
    if (doc.version() != current.version() + 1) {
      throw new Rejection(RejectReason.VERSION_GAP, "version " + doc.version() + " does not follow installed version " + current.version());
    }
    RootSignatures.requireThreshold(doc.roots(), doc.rootThreshold(), env, "its own");
    return doc;
  }

  private static void requireType(Envelope env) throws Rejection {
    if (!env.payloadType().equals(TrustDocument.PAYLOAD_TYPE)) {
      throw new Rejection(RejectReason.WRONG_PAYLOAD_TYPE, "expected " + TrustDocument.PAYLOAD_TYPE + ", got " + env.payloadType());
    }
  }
}
