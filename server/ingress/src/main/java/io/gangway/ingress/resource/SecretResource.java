package io.gangway.ingress.resource;

import io.gangway.ingress.yaml.YNode;
import io.gangway.spi.route.SourceRef;

/**
 * {@code SecretResource} is a parsed {@code v1} Secret of type {@code kubernetes.io/tls},
 * validated: the certificate chain parses and the private key belongs to it. {@link #toString()}
 * never shows the key.
 *
 * @param namespace {@code metadata.namespace}, {@code default} when absent
 * @param name {@code metadata.name}
 * @param certificateChain PEM, from {@code stringData["tls.crt"]} or base64 {@code data["tls.crt"]}
 * @param privateKey PEM, from {@code stringData["tls.key"]} or base64 {@code data["tls.key"]}
 * @param source the document it came from
 * @param at the location of the object
 * @param caCertificate PEM CA bundle from the optional {@code ca.crt} key (validated), empty when
 *     absent
 */
public record SecretResource(
    String namespace,
    String name,
    String certificateChain,
    String privateKey,
    SourceRef source,
    YNode at,
    String caCertificate) {

  /** Returns a Secret without {@code ca.crt}. */
  public SecretResource(
      String namespace,
      String name,
      String certificateChain,
      String privateKey,
      SourceRef source,
      YNode at) {
    this(namespace, name, certificateChain, privateKey, source, at, "");
  }

  /** Returns {@code namespace/name}. */
  public String id() {
    return namespace + "/" + name;
  }

  /** Shows where the Secret is; never its data. */
  @Override
  public String toString() {
    return "SecretResource[" + id() + " in " + source + ":" + at.line() + ", data=[redacted]]";
  }
}
