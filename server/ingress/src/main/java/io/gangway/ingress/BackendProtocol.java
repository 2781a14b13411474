package io.gangway.ingress;

import io.gangway.ingress.resource.IngressResource;
import io.gangway.model.UpstreamProtocol;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code BackendProtocol} reads the {@code backend-protocol} annotation, with the {@code higress.io/}
 * or the ingress-nginx prefix as Higress accepts both: {@code HTTP} (default), {@code HTTP2},
 * {@code HTTPS}, {@code GRPC}, {@code GRPCS}. It applies to every backend of the Ingress (service
 * scope, as in Higress). Invalid values are rejected when the document is parsed.
 */
final class BackendProtocol {

  static final String HIGRESS = "higress.io/backend-protocol";
  static final String NGINX = "nginx.ingress.kubernetes.io/backend-protocol";

  private BackendProtocol() {}

  /** Returns the protocol the annotation asks for, empty when absent (or invalid). */
  static Optional<UpstreamProtocol> of(IngressResource ing) {
    String v = raw(ing);
    return v == null ? Optional.empty() : UpstreamProtocol.parse(v);
  }

  /** Returns the annotation value as written, Higress prefix first; {@code null} when absent. */
  static @Nullable String raw(IngressResource ing) {
    String v = ing.annotations().get(HIGRESS);
    return v != null ? v : ing.annotations().get(NGINX);
  }
}
