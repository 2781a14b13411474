package io.gangway.ingress.annotation;

import io.gangway.model.UpstreamProtocol;
import java.util.List;

/**
 * {@code BackendProtocolFamily} reads {@code backend-protocol} ({@code HTTP} default, {@code
 * HTTP2}, {@code HTTPS}, {@code GRPC}, {@code GRPCS}): how Envoy talks to every backend of the
 * Ingress (service scope, as in Higress). It wins over a registry's {@code protocol} metadata. An
 * unsupported value rejects the document rather than being ignored: ignoring {@code HTTPS} or
 * {@code GRPCS} would send the traffic in plain text.
 */
final class BackendProtocolFamily implements AnnotationFamily {

  static final AnnotationKey BACKEND_PROTOCOL =
      AnnotationKey.of("backend-protocol").failingClosed();

  @Override
  public String name() {
    return "backend-protocol";
  }

  @Override
  public List<AnnotationKey> keys() {
    return List.of(BACKEND_PROTOCOL);
  }

  @Override
  public void parse(Annotations a, IngressPolicies.Builder out) {
    a.get(BACKEND_PROTOCOL)
        .ifPresent(
            v ->
                UpstreamProtocol.parse(v.text())
                    .ifPresentOrElse(
                        p -> out.cluster(c -> c.withProtocol(p)),
                        () -> a.invalid(v, "HTTP, HTTP2, HTTPS, GRPC or GRPCS")));
  }
}
