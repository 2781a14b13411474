package io.gangway.ingress.resource;

import io.gangway.ingress.yaml.Diagnostics;
import io.gangway.ingress.yaml.YNode;
import io.gangway.spi.route.RouteDocument;

/**
 * {@code SecretParser} parses {@code v1} Secrets: {@code kubernetes.io/tls} ones as certificates
 * ({@link Secrets#parse}), any other as credentials for McpBridge {@code authSecretName}.
 * Stateless.
 */
final class SecretParser implements KindParser {

  @Override
  public String kind() {
    return "Secret";
  }

  @Override
  public String apiVersion() {
    return "v1";
  }

  @Override
  public void parse(YNode at, RouteDocument document, Diagnostics d, ParsedObjects out) {
    KnownFields.check(at, KnownFields.SECRET, d);
    if (Secrets.isTls(at, d)) {
      SecretResource s = Secrets.parse(at, document, d);
      if (s != null) {
        out.secrets.add(s);
      }
    } else {
      CredentialSecret c = Secrets.parseCredentials(at, document, d);
      if (c != null) {
        out.credentials.add(c);
      }
    }
  }
}
