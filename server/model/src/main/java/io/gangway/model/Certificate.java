package io.gangway.model;

import static java.util.Objects.requireNonNull;

import io.gangway.spi.route.SourceRef;

/**
 * {@code Certificate} is one server certificate with its private key, as Envoy receives it over
 * SDS. The PEM text has been validated where it was read (a {@code kubernetes.io/tls} Secret, or a
 * PEM file named in {@code gangway.yaml}): the chain parses, the key decodes and belongs to the
 * first certificate.
 *
 * <p>{@link #toString()} never shows the private key, so a model may be logged or put in an
 * assertion message safely; equality does compare it (a rotated key is a different value).
 *
 * @param name the SDS secret name, stable across rotations: {@code secret:<namespace>/<name>} for a
 *     Secret, {@code file:<cert path>} for a file certificate; listeners refer to it by this name
 *     only
 * @param certificateChain PEM: the server certificate first, then its intermediates
 * @param privateKey PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC)
 * @param source where it was read, for diagnostics
 */
public record Certificate(
    String name, String certificateChain, String privateKey, SourceRef source) {

  /** Validates all parts. */
  public Certificate {
    requireNonNull(name, "name");
    requireNonNull(certificateChain, "certificateChain");
    requireNonNull(privateKey, "privateKey");
    requireNonNull(source, "source");
  }

  /** Shows the name, source and chain size; the private key is always {@code [redacted]}. */
  @Override
  public String toString() {
    return "Certificate[name="
        + name
        + ", source="
        + source
        + ", certificateChain=<"
        + certificateChain.length()
        + " chars>, privateKey=[redacted]]";
  }
}
