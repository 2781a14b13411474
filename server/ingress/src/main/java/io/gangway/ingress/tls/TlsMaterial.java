package io.gangway.ingress.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code TlsMaterial} checks a PEM certificate chain and private key the way Envoy will load them,
 * so that a bad pair is reported where it is written instead of failing in Envoy (which would
 * reject the whole SDS update). The chain must hold only {@code CERTIFICATE} blocks that parse as
 * X.509; the key file exactly one unencrypted {@code PRIVATE KEY} (PKCS#8), {@code RSA PRIVATE KEY}
 * (PKCS#1) or {@code EC PRIVATE KEY} (SEC1) block; and the key must belong to the first certificate
 * (checked by comparing the RSA modulus, or by signing and verifying a challenge for EC and EdDSA
 * keys).
 *
 * <p>Messages name the problem, never the content: key material must not reach logs or status.
 * Stateless and thread-safe.
 */
public final class TlsMaterial {

  /** Which of the two inputs a {@link Problem} is about. */
  public enum Part {
    /** The certificate chain. */
    CERTIFICATE,
    /** The private key. */
    KEY
  }

  /**
   * {@code Problem} is why a pair cannot be used.
   *
   * @param part the input at fault
   * @param message what is wrong, without any of the content
   */
  public record Problem(Part part, String message) {}

  private static final Set<String> KEY_TYPES =
      Set.of("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY");
  // AlgorithmIdentifier { rsaEncryption, NULL }, to wrap a PKCS#1 key into PKCS#8.
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };
  private static final Map<String, String> SIGNATURES =
      Map.of("EC", "SHA256withECDSA", "Ed25519", "Ed25519", "EdDSA", "Ed25519", "Ed448", "Ed448");
  private static final byte[] CHALLENGE = "gangway key check".getBytes(StandardCharsets.US_ASCII);

  private TlsMaterial() {}

  /**
   * Returns why {@code certificateChain} and {@code privateKey} cannot be served, or {@code null}.
   */
  public static @Nullable Problem check(String certificateChain, String privateKey) {
    List<X509Certificate> chain;
    try {
      chain = certificates(certificateChain);
    } catch (IllegalArgumentException e) {
      return new Problem(Part.CERTIFICATE, e.getMessage());
    }
    PrivateKey key;
    try {
      key = privateKey(privateKey, chain.get(0).getPublicKey());
    } catch (IllegalArgumentException e) {
      return new Problem(Part.KEY, e.getMessage());
    }
    if (!matches(key, chain.get(0).getPublicKey())) {
      return new Problem(
          Part.KEY,
          "the private key does not belong to the certificate (the first one of the"
              + " chain); was a key from another certificate or an older rotation used?");
    }
    return null;
  }

  /**
   * Returns why {@code bundle} is not a usable CA bundle (PEM certificates only), or {@code null}.
   */
  public static @Nullable String checkCa(String bundle) {
    try {
      certificates(bundle);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /**
   * Returns the DNS names the first certificate of a valid chain is issued for: its subject
   * alternative names, or its common name when it has none (as old clients accept).
   */
  public static List<String> dnsNames(String certificateChain) {
    X509Certificate leaf = certificates(certificateChain).get(0);
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() == 2 && Integer.valueOf(2).equals(san.get(0))) {
            names.add(String.valueOf(san.get(1)).toLowerCase(Locale.ROOT));
          }
        }
      }
    } catch (CertificateParsingException e) {
      return names;
    }
    if (names.isEmpty()) {
      String dn = leaf.getSubjectX500Principal().getName();
      for (String rdn : dn.split(",", -1)) {
        if (rdn.startsWith("CN=")) {
          names.add(rdn.substring(3).toLowerCase(Locale.ROOT));
        }
      }
    }
    return names;
  }

  /**
   * Returns whether a certificate issued for {@code names} is valid for {@code host} as clients
   * check it (RFC 6125: a wildcard covers exactly one label); a wildcard host needs the same
   * wildcard name.
   */
  public static boolean covers(List<String> names, String host) {
    for (String n : names) {
      if (n.equals(host)) {
        return true;
      }
      if (n.startsWith("*.") && !host.startsWith("*")) {
        int dot = host.indexOf('.');
        if (dot > 0 && host.substring(dot).equals(n.substring(1))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Returns a one-line description for logs: subject, serial and expiry of the first certificate.
   */
  public static String describe(String certificateChain) {
    X509Certificate leaf = certificates(certificateChain).get(0);
    return "subject '"
        + leaf.getSubjectX500Principal().getName()
        + "', serial "
        + leaf.getSerialNumber().toString(16)
        + ", expires "
        + leaf.getNotAfter().toInstant();
  }

  private static List<X509Certificate> certificates(String text) {
    List<Pem.Block> blocks = Pem.blocks(text);
    List<X509Certificate> out = new ArrayList<>();
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("the JDK has no X.509 support", e);
    }
    for (Pem.Block b : blocks) {
      if (KEY_TYPES.contains(b.type())) {
        throw new IllegalArgumentException(
            "the certificate chain contains a private key; put the key only in"
                + " the key field, never next to the certificates (they are not secret and are shown)");
      }
      if (!b.type().equals("CERTIFICATE")) {
        throw new IllegalArgumentException(
            "unexpected PEM block '"
                + b.type()
                + "' in the certificate chain (expected: CERTIFICATE blocks only)");
      }
      try {
        out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
      } catch (CertificateException | ClassCastException e) {
        throw new IllegalArgumentException(
            "certificate "
                + (out.size() + 1)
                + " of the chain is not a valid"
                + " X.509 certificate");
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          "no PEM certificate found (expected: -----BEGIN CERTIFICATE----- blocks)");
    }
    return out;
  }

  private static PrivateKey privateKey(String text, PublicKey certificateKey) {
    if (text.contains("BEGIN ENCRYPTED PRIVATE KEY") || text.contains("Proc-Type: 4,ENCRYPTED")) {
      throw new IllegalArgumentException(
          "the private key is encrypted; Envoy needs it unencrypted"
              + " (openssl pkey -in key.pem -out plain.pem)");
    }
    List<Pem.Block> keys = new ArrayList<>();
    for (Pem.Block b : Pem.blocks(text)) {
      if (KEY_TYPES.contains(b.type())) {
        keys.add(b);
      } else if (!b.type().equals("EC PARAMETERS")) {
        throw new IllegalArgumentException(
            "unexpected PEM block '"
                + b.type()
                + "' next to the private key (expected: the key only)");
      }
    }
    if (keys.size() != 1) {
      throw new IllegalArgumentException(
          keys.isEmpty()
              ? "no PEM private key found (expected: one PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block)"
              : "more than one private key (expected: exactly one)");
    }
    Pem.Block k = keys.get(0);
    String certificateAlgorithm = certificateKey.getAlgorithm();
    if ((k.type().equals("EC PRIVATE KEY") && !certificateAlgorithm.equals("EC"))
        || (k.type().equals("RSA PRIVATE KEY") && !certificateAlgorithm.equals("RSA"))) {
      throw new IllegalArgumentException(
          "the private key is "
              + k.type().substring(0, k.type().indexOf(' '))
              + " but the certificate's key is "
              + certificateAlgorithm
              + "; they do not belong together");
    }
    byte[] pkcs8 =
        switch (k.type()) {
          case "RSA PRIVATE KEY" ->
              sequence(new byte[] {0x02, 0x01, 0x00}, RSA_ALGORITHM, tlv(0x04, k.der()));
          case "EC PRIVATE KEY" ->
              sequence(
                  new byte[] {0x02, 0x01, 0x00},
                  algorithmIdentifier(certificateKey),
                  tlv(0x04, k.der()));
          default -> k.der();
        };
    try {
      return KeyFactory.getInstance(certificateAlgorithm)
          .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException | RuntimeException e) {
      for (String other : List.of("RSA", "EC", "Ed25519")) {
        if (!other.equals(certificateAlgorithm) && decodes(other, pkcs8)) {
          throw new IllegalArgumentException(
              "the private key is "
                  + other
                  + " but the certificate's key is "
                  + certificateAlgorithm
                  + "; they do not belong together");
        }
      }
      throw new IllegalArgumentException(
          "the "
              + k.type()
              + " block does not decode as a "
              + certificateAlgorithm
              + " private key");
    }
  }

  private static boolean decodes(String algorithm, byte[] pkcs8) {
    try {
      KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static boolean matches(PrivateKey key, PublicKey publicKey) {
    if (key instanceof RSAPrivateCrtKey rsa && publicKey instanceof RSAPublicKey pub) {
      return rsa.getModulus().equals(pub.getModulus())
          && rsa.getPublicExponent().equals(pub.getPublicExponent());
    }
    String algorithm = SIGNATURES.get(publicKey.getAlgorithm());
    if (algorithm == null) {
      return true; // an algorithm the JDK cannot sign with here; Envoy will check the pair itself
    }
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(CHALLENGE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(CHALLENGE);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Returns the AlgorithmIdentifier of a public key: the first element of its SubjectPublicKeyInfo.
   */
  private static byte[] algorithmIdentifier(PublicKey key) {
    byte[] spki = key.getEncoded();
    int[] outer = header(spki, 0);
    int[] inner = header(spki, outer[0]);
    return java.util.Arrays.copyOfRange(spki, outer[0], outer[0] + inner[0] + inner[1]);
  }

  /** Returns {header length, content length} of the DER element at {@code offset}. */
  private static int[] header(byte[] der, int offset) {
    int first = der[offset + 1] & 0xff;
    if (first < 0x80) {
      return new int[] {2, first};
    }
    int n = first & 0x7f;
    int length = 0;
    for (int i = 0; i < n; i++) {
      length = (length << 8) | (der[offset + 2 + i] & 0xff);
    }
    return new int[] {2 + n, length};
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      content.writeBytes(p);
    }
    return tlv(0x30, content.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write(n >> 8);
      out.write(n);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }
}
