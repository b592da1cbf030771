package io.megastream.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private certificate authority in a directory, made by BouncyCastle on first use: the CA key and
 * certificate ({@code ca.p12}), a truststore holding the CA certificate ({@code truststore.p12}),
 * and PKCS12 keystores issued for the broker and for mTLS clients ({@code NAME.p12}, the subject
 * {@code CN=NAME}). Every store has the same random password, kept in {@code store.password}; the
 * directory and its files are readable by the owner only. Nothing here is ever committed: the
 * embedded broker makes it at start-up.
 *
 * <p>Keys are EC P-256, certificates signed with SHA256withECDSA and valid for a year. Not
 * thread-safe.
 */
public final class CertificateAuthority {

  private static final String CA_ALIAS = "megastream-ca";
  private static final Duration VALIDITY = Duration.ofDays(365);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final char[] password;
  private final PrivateKey caKey;
  private final X509Certificate caCert;

  private CertificateAuthority(
      Path dir, char[] password, PrivateKey caKey, X509Certificate caCert) {
    this.dir = dir;
    this.password = password;
    this.caKey = caKey;
    this.caCert = caCert;
  }

  /**
   * Loads the authority kept in {@code dir}, or makes a new one there.
   *
   * @throws UncheckedIOException if the directory cannot be read or written
   * @throws IllegalStateException if the stores there are unreadable (wrong password, corrupt)
   */
  public static CertificateAuthority openOrCreate(Path dir) {
    try {
      Files.createDirectories(dir);
      restrict(dir, "rwx------");
      Path passwordFile = dir.resolve("store.password");
      Path caFile = dir.resolve("ca.p12");
      if (Files.exists(caFile) && Files.exists(passwordFile)) {
        char[] password =
            Files.readString(passwordFile, StandardCharsets.UTF_8).trim().toCharArray();
        KeyStore ks = load(caFile, password);
        return new CertificateAuthority(
            dir,
            password,
            (PrivateKey) ks.getKey(CA_ALIAS, password),
            (X509Certificate) ks.getCertificate(CA_ALIAS));
      }
      char[] password = randomSecret().toCharArray();
      writeSecret(passwordFile, new String(password));
      KeyPair kp = newKeyPair();
      X500Name subject = new X500Name("CN=MegaStream development CA");
      Instant now = Instant.now();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              subject,
              serial(),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(VALIDITY)),
              subject,
              kp.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
      X509Certificate cert = sign(b, kp.getPrivate());
      KeyStore ca = KeyStore.getInstance("PKCS12");
      ca.load(null, null);
      ca.setKeyEntry(CA_ALIAS, kp.getPrivate(), password, new X509Certificate[] {cert});
      store(ca, caFile, password);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry(CA_ALIAS, cert);
      store(trust, dir.resolve("truststore.p12"), password);
      return new CertificateAuthority(dir, password, kp.getPrivate(), cert);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the certificate authority in " + dir, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make or read the certificate authority in " + dir, e);
    }
  }

  /** The PKCS12 truststore holding the CA certificate. */
  public Path truststore() {
    return dir.resolve("truststore.p12");
  }

  /** The password of every store of this authority. */
  public String storePassword() {
    return new String(password);
  }

  /**
   * The keystore of {@code CN=name}, issued now unless it exists: a server certificate valid for
   * 127.0.0.1 and localhost if {@code server}, else a client certificate.
   *
   * @throws IllegalArgumentException if the name is not a plain identifier
   */
  public Path keystore(String name, boolean server) {
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("certificate name must be [A-Za-z0-9._-]+: " + name);
    }
    Path file = dir.resolve(name + ".p12");
    if (Files.exists(file)) {
      return file;
    }
    try {
      KeyPair kp = newKeyPair();
      Instant now = Instant.now();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              caCert,
              serial(),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(VALIDITY)),
              new X500Name("CN=" + name),
              kp.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      b.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
      if (server) {
        // The broker also connects to itself (controller, inter-broker), so it is a client too.
        b.addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(
                new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                new GeneralName[] {
                  new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                  new GeneralName(GeneralName.dNSName, "localhost"),
                  new GeneralName(
                      GeneralName.dNSName, InetAddress.getLoopbackAddress().getHostName())
                }));
      } else {
        b.addExtension(
            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      }
      X509Certificate cert = sign(b, caKey);
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry(name, kp.getPrivate(), password, new X509Certificate[] {cert, caCert});
      store(ks, file, password);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write keystore " + file, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue a certificate for CN=" + name, e);
    }
  }

  /** A random URL-safe secret of 24 bytes, for passwords. */
  static String randomSecret() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Writes a secret readable by the owner only. */
  static void writeSecret(Path file, String secret) throws IOException {
    Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
    restrict(file, "rw-------");
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(64, RANDOM).abs().add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    return new JcaX509CertificateConverter().getCertificate(b.build(signer));
  }

  private static KeyStore load(Path file, char[] password)
      throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, password);
    }
    return ks;
  }

  private static void store(KeyStore ks, Path file, char[] password)
      throws IOException, GeneralSecurityException {
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.store(out, password);
    }
    restrict(file, "rw-------");
  }

  /** Sets POSIX permissions where the file system has them (else the directory's apply). */
  static void restrict(Path p, String perms) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the directory's own protection applies
    }
  }
}
