package dev.flotilla.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.Signer;
import org.eclipse.jgit.transport.CredentialsProvider;

/**
 * Keys that really sign commits, for signed-commit tests: an OpenPGP key made with Bouncy Castle
 * that signs through JGit's {@link Signer} seam, and an SSH key made by {@code ssh-keygen} that
 * signs through the real {@code git} binary ({@code gpg.format=ssh}), as a person's Git would.
 */
public final class CommitSigning {
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private CommitSigning() {}

  /** An OpenPGP key (RSA 2048, certified user id) that signs commits as a detached armored signature. */
  public static final class OpenPgpKey implements Signer {
    private final PGPKeyPair pair;
    private final String armoredPublicKey;

    private OpenPgpKey(PGPKeyPair pair, String armoredPublicKey) {
      this.pair = pair;
      this.armoredPublicKey = armoredPublicKey;
    }

    public static OpenPgpKey generate(String userId) {
      try {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        PGPKeyPair pair = new JcaPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, rsa.generateKeyPair(), new Date(1_700_000_000_000L));
        PGPDigestCalculator sha1 = new JcaPGPDigestCalculatorProviderBuilder().build().get(HashAlgorithmTags.SHA1);
        PGPKeyRingGenerator rings = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pair, userId, sha1, null, null,
            new JcaPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256).setProvider(BC), null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
          rings.generatePublicKeyRing().encode(armored);
        }
        return new OpenPgpKey(pair, out.toString(StandardCharsets.US_ASCII));
      } catch (NoSuchAlgorithmException | PGPException | IOException e) {
        throw new IllegalStateException("generating a test OpenPGP key", e);
      }
    }

    /** The armored public key block, as {@code gpg --armor --export} prints it. */
    public String armoredPublicKey() {
      return armoredPublicKey;
    }

    /** The key's fingerprint in upper-case hex. */
    public String fingerprint() {
      return HexFormat.of().withUpperCase().formatHex(pair.getPublicKey().getFingerprint());
    }

    @Override
    public GpgSignature sign(Repository repository, GpgConfig config, byte[] data, PersonIdent committer, String signingKey,
        CredentialsProvider credentials) {
      try {
        PGPSignatureGenerator generator = new PGPSignatureGenerator(
            new JcaPGPContentSignerBuilder(pair.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256).setProvider(BC),
            pair.getPublicKey());
        generator.init(PGPSignature.BINARY_DOCUMENT, pair.getPrivateKey());
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setIssuerFingerprint(false, pair.getPublicKey());
        hashed.setSignatureCreationTime(false, new Date(1_750_000_000_000L));
        generator.setHashedSubpackets(hashed.generate());
        generator.update(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
          generator.generate().encode(armored);
        }
        return new GpgSignature(out.toByteArray());
      } catch (PGPException | IOException e) {
        throw new IllegalStateException("signing a test commit", e);
      }
    }

    @Override
    public boolean canLocateSigningKey(Repository repository, GpgConfig config, PersonIdent committer, String signingKey,
        CredentialsProvider credentials) {
      return true;
    }
  }

  /** An ed25519 key made by {@code ssh-keygen}, in {@code dir}. */
  public record SshKey(Path privateKey, String publicKey) {
    public static SshKey generate(Path dir, String name) {
      Path key = dir.resolve(name);
      try {
        Files.createDirectories(dir);
        run(dir, List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString()));
        return new SshKey(key, Files.readString(dir.resolve(name + ".pub")).strip());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** {@code SHA256:...}, as {@code ssh-keygen -l} prints it. */
    public String fingerprint() {
      String line = run(privateKey.getParent(), List.of("ssh-keygen", "-l", "-f", privateKey + ".pub"));
      return line.split("\\s+")[1];
    }

    /**
     * Stages everything in {@code workTree} and commits it with the real {@code git}, signed by
     * this key ({@code gpg.format=ssh}); ignores the user's and the system's Git configuration.
     * Returns the commit id.
     */
    public String commitSigned(Path workTree, String message) {
      run(workTree, git(List.of("add", "-A")));
      run(workTree, git(List.of("-c", "gpg.format=ssh", "-c", "user.signingkey=" + privateKey, "commit", "-q", "-S",
          "--allow-empty", "-m", message)));
      return run(workTree, git(List.of("rev-parse", "HEAD"))).strip();
    }

    private static List<String> git(List<String> args) {
      List<String> argv = new ArrayList<>(List.of("git", "-c", "user.name=Fleet Tester", "-c", "user.email=tester@flotilla.dev"));
      argv.addAll(args);
      return argv;
    }
  }

  /** Runs a command, returns its standard output; fails with its output when it fails. */
  static String run(Path dir, List<String> argv) {
    try {
      Path out = Files.createTempFile("flotilla-cmd", ".out");
      try {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException(argv + " did not finish in 60 s");
        }
        String output = Files.readString(out);
        if (p.exitValue() != 0) throw new IllegalStateException(argv + " failed (" + p.exitValue() + "): " + output);
        return output;
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
