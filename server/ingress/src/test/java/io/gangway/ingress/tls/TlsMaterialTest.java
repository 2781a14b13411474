package io.gangway.ingress.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each way a certificate and key can fail is named, and no message quotes the key. */
class TlsMaterialTest {

  private static String fixture(String name) {
    try {
      return Files.readString(Path.of("src/test/resources/tls").resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final String A_CRT = fixture("test-a.crt");
  private static final String A_KEY = fixture("test-a.key");
  private static final String B_KEY = fixture("test-b.key");
  private static final String RSA_CRT = fixture("test-rsa.crt");
  private static final String RSA_KEY = fixture("test-rsa.key");

  @Test
  void check_matchingPairsInEveryKeyFormat_areValid() {
    assertThat(TlsMaterial.check(A_CRT, A_KEY)).isNull(); // SEC1
    assertThat(TlsMaterial.check(fixture("test-b.crt"), B_KEY)).isNull(); // PKCS#8
    assertThat(TlsMaterial.check(RSA_CRT, RSA_KEY)).isNull(); // PKCS#1
    // A chain: the leaf first, then an intermediate; the key belongs to the leaf.
    assertThat(TlsMaterial.check(A_CRT + fixture("test-default.crt"), A_KEY)).isNull();
  }

  @Test
  void check_keyOfAnotherCertificate_isAKeyProblem() {
    assertThat(TlsMaterial.check(A_CRT, B_KEY))
        .extracting(TlsMaterial.Problem::part)
        .isEqualTo(TlsMaterial.Part.KEY);
    assertThat(TlsMaterial.check(fixture("test-a-rotated.crt"), A_KEY).message())
        .startsWith("the private key does not belong to the certificate");
    // The key of the second certificate of a chain does not do either.
    assertThat(TlsMaterial.check(A_CRT + fixture("test-default.crt"), fixture("test-default.key")))
        .isNotNull();
  }

  @Test
  void check_keyOfAnotherAlgorithm_saysSo() {
    assertThat(TlsMaterial.check(A_CRT, RSA_KEY).message())
        .isEqualTo(
            "the private key is RSA but the certificate's key is EC; they do not belong together");
    assertThat(TlsMaterial.check(RSA_CRT, A_KEY).message())
        .isEqualTo(
            "the private key is EC but the certificate's key is RSA; they do not belong together");
    assertThat(TlsMaterial.check(RSA_CRT, B_KEY).message())
        .isEqualTo(
            "the private key is EC but the certificate's key is RSA; they do not belong together");
  }

  @Test
  void check_unusableInputs_areNamedWithoutQuotingThem() {
    String keyBody = A_KEY.lines().skip(1).findFirst().orElseThrow();
    List<TlsMaterial.Problem> problems =
        List.of(
            TlsMaterial.check("", A_KEY),
            TlsMaterial.check("hello", A_KEY),
            TlsMaterial.check(A_CRT.replace("MII", "!!!"), A_KEY),
            TlsMaterial.check(A_CRT, ""),
            TlsMaterial.check(A_CRT, A_KEY + B_KEY),
            TlsMaterial.check(A_CRT, A_KEY.replace("-----END EC PRIVATE KEY-----", "")),
            TlsMaterial.check(
                A_CRT,
                A_KEY.substring(0, A_KEY.length() / 2)
                    + "%%"
                    + A_KEY.substring(A_KEY.length() / 2)),
            TlsMaterial.check(A_CRT, B_KEY.replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY")),
            TlsMaterial.check(A_CRT + A_KEY, A_KEY),
            TlsMaterial.check(A_CRT, A_CRT + A_KEY));
    assertThat(problems).doesNotContainNull();
    assertThat(problems)
        .extracting(TlsMaterial.Problem::message)
        .containsExactly(
            "no PEM certificate found (expected: -----BEGIN CERTIFICATE----- blocks)",
            "no PEM certificate found (expected: -----BEGIN CERTIFICATE----- blocks)",
            "the CERTIFICATE block is malformed (no matching END line, headers or characters that are not base64)",
            "no PEM private key found (expected: one PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block)",
            "more than one private key (expected: exactly one)",
            "the EC PRIVATE KEY block is malformed (no matching END line, headers or characters that are not base64)",
            "the EC PRIVATE KEY block is malformed (no matching END line, headers or characters that are not base64)",
            "the private key is encrypted; Envoy needs it unencrypted (openssl pkey -in key.pem -out plain.pem)",
            "the certificate chain contains a private key; put the key only in the key field, never next to the"
                + " certificates (they are not secret and are shown)",
            "unexpected PEM block 'CERTIFICATE' next to the private key (expected: the key only)");
    assertThat(problems).allSatisfy(p -> assertThat(p.message()).doesNotContain(keyBody));
  }

  @Test
  void dnsNamesAndCovers_followTheClientRules() {
    assertThat(TlsMaterial.dnsNames(A_CRT)).containsExactly("a.example.com");
    List<String> wildcard = TlsMaterial.dnsNames(fixture("test-wildcard.crt"));
    assertThat(wildcard).containsExactly("*.example.com");
    assertThat(TlsMaterial.covers(wildcard, "x.example.com")).isTrue();
    assertThat(TlsMaterial.covers(wildcard, "*.example.com")).isTrue();
    assertThat(TlsMaterial.covers(wildcard, "x.y.example.com")).isFalse();
    assertThat(TlsMaterial.covers(wildcard, "example.com")).isFalse();
    // No SAN: the common name counts.
    assertThat(TlsMaterial.dnsNames(fixture("test-default.crt")))
        .containsExactly("gangway test default");
    assertThat(TlsMaterial.describe(A_CRT))
        .startsWith("subject 'CN=a.example.com,O=Gangway TEST ONLY', serial ");
  }
}
