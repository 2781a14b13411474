package io.gangway.xds;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code CertificateFile} is a certificate configured in {@code gangway.yaml} by file paths: a
 * static setting, like a listener. The translator does not read files; the process loads their
 * content into the model (and reloads it when the files change), where they serve the hosts no
 * route document's Secret serves.
 *
 * @param name the SDS secret name, {@code file:<cert path as written>}; stable across rotations
 * @param hosts the server names it serves; {@code ["*"]} for the default certificate
 * @param certificate the PEM certificate chain file, absolute
 * @param privateKey the PEM private key file, absolute
 * @param field where it is configured, for diagnostics (e.g. {@code gateway.tls.certificates[0]})
 */
public record CertificateFile(
    String name, List<String> hosts, Path certificate, Path privateKey, String field) {

  /** Validates and copies. */
  public CertificateFile {
    requireNonNull(name, "name");
    hosts = List.copyOf(hosts);
    requireNonNull(certificate, "certificate");
    requireNonNull(privateKey, "privateKey");
    requireNonNull(field, "field");
  }
}
