package io.gangway.model;

import java.util.Locale;
import java.util.Optional;

/**
 * {@code UpstreamProtocol} is how Envoy talks to a cluster's endpoints, as Higress's {@code
 * backend-protocol} annotation and registry {@code protocol} field name it.
 */
public enum UpstreamProtocol {
  /** HTTP/1.1 in clear text (the default). */
  HTTP(false, false),
  /** HTTP/2 in clear text (h2c, prior knowledge). */
  HTTP2(true, false),
  /** HTTP/1.1 over TLS. */
  HTTPS(false, true),
  /** gRPC: HTTP/2 in clear text. */
  GRPC(true, false),
  /** gRPC over TLS (HTTP/2 negotiated with ALPN). */
  GRPCS(true, true);

  private final boolean http2;
  private final boolean tls;

  UpstreamProtocol(boolean http2, boolean tls) {
    this.http2 = http2;
    this.tls = tls;
  }

  /** Returns whether the upstream connection speaks HTTP/2. */
  public boolean http2() {
    return http2;
  }

  /** Returns whether the upstream connection is TLS. */
  public boolean tls() {
    return tls;
  }

  /**
   * Parses a protocol name case-insensitively; {@code triple} and {@code tri} (Dubbo 3) are gRPC,
   * as in Higress. Returns empty for names that are not HTTP-family protocols (e.g. {@code tcp},
   * {@code dubbo}).
   */
  public static Optional<UpstreamProtocol> parse(String value) {
    String v = value.trim().toUpperCase(Locale.ROOT);
    if (v.equals("TRIPLE") || v.equals("TRI")) {
      return Optional.of(GRPC);
    }
    for (UpstreamProtocol p : values()) {
      if (p.name().equals(v)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
