package dev.flotilla.bundle;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * DSSE's pre-authentication encoding: {@code "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body},
 * LEN being the byte length in ASCII decimal. Signatures cover this, so the payload type cannot be
 * swapped and the payload is never parsed before its signature is checked.
 */
final class Pae {
  private Pae() {}

  static byte[] encode(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(type.length + payload.length + 32);
    out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(type);
    out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(payload);
    return out.toByteArray();
  }
}
