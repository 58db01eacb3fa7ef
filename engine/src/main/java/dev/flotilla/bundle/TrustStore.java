package dev.flotilla.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * An agent's {@code trust.json} on disk: the current trust document as the envelope its roots
 * signed. It fails closed: a missing, unreadable or tampered file is an error, never "trust
 * nothing in particular". Updates go one version at a time and are written atomically.
 */
public final class TrustStore {
  private final Path file;

  public TrustStore(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** Writes the first trust document, checked against its own roots (installing an agent, {@code keys generate}). */
  public TrustDocument install(byte[] envelopeJson) throws BundleException {
    TrustDocument doc = check(envelopeJson, "the offered trust document");
    write(envelopeJson);
    return doc;
  }

  /** The current document; throws when the file is missing or is not a valid, self-signed trust document. */
  public TrustDocument load() throws BundleException {
    return check(read(), "trust store " + file);
  }

  /** The current document as stored, signatures included. */
  public byte[] read() throws BundleException {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new BundleException("trust store " + file + " is missing: nothing is trusted until it is restored");
    } catch (IOException e) {
      throw new BundleException("cannot read trust store " + file, e);
    }
  }

  /** Offers the next version; it replaces the current one only if the current roots accept it. */
  public TrustUpdate update(byte[] envelopeJson) throws BundleException {
    TrustDocument current = load();
    TrustDocument next;
    try {
      next = TrustDocuments.next(current, envelopeJson);
    } catch (Rejection r) {
      return new TrustUpdate.Rejected(r.reason(), r.detail());
    }
    write(envelopeJson);
    return new TrustUpdate.Accepted(next);
  }

  /** Offers versions N+1, N+2, ... in order; stops at the first one refused (a missing version stops the chain). */
  public TrustUpdate updateChain(List<byte[]> envelopes) throws BundleException {
    TrustUpdate last = new TrustUpdate.Accepted(load());
    for (byte[] e : envelopes) {
      last = update(e);
      if (last instanceof TrustUpdate.Rejected) return last;
    }
    return last;
  }

  private TrustDocument check(byte[] envelopeJson, String what) throws BundleException {
    try {
      return TrustDocuments.bootstrap(envelopeJson);
    } catch (Rejection r) {
      throw new BundleException(what + " is not a valid trust document (" + r.reason().code() + ": " + r.detail()
          + "): nothing is trusted until it is restored");
    }
  }

  private void write(byte[] envelopeJson) throws BundleException {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      AtomicFiles.write(file, envelopeJson);
    } catch (IOException e) {
      throw new BundleException("cannot write trust store " + file, e);
    }
  }
}
