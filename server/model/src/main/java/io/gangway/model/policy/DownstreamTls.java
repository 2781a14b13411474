package io.gangway.model.policy;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * {@code DownstreamTls} is the TLS a host's clients must speak (domain scope): client-certificate
 * verification ({@code auth-tls-secret}), cipher suites ({@code ssl-cipher}) and the protocol range
 * ({@code tls-min-protocol-version}, {@code tls-max-protocol-version}). It shapes the TLS filter
 * chain serving the host.
 *
 * @param clientCaSecret the {@code namespace/name} of the Secret holding the client CA, empty when
 *     no client certificate is required
 * @param clientCa the CA client certificates must chain to; present whenever {@code clientCaSecret}
 *     is set and found
 * @param ciphers the cipher suites (BoringSSL names), in the order given; empty for Envoy's
 *     defaults
 * @param minVersion {@code TLSv1.0} … {@code TLSv1.3}, empty for Envoy's default
 * @param maxVersion {@code TLSv1.0} … {@code TLSv1.3}, empty for Envoy's default
 * @param problem why the client CA is missing; empty when none. A host with a problem fails closed:
 *     it answers 403 to every request
 */
public record DownstreamTls(
    String clientCaSecret,
    Optional<TrustedCa> clientCa,
    List<String> ciphers,
    String minVersion,
    String maxVersion,
    String problem)
    implements Policy {

  /** Validates and copies. */
  public DownstreamTls {
    requireNonNull(clientCaSecret, "clientCaSecret");
    requireNonNull(clientCa, "clientCa");
    ciphers = List.copyOf(ciphers);
    requireNonNull(minVersion, "minVersion");
    requireNonNull(maxVersion, "maxVersion");
    requireNonNull(problem, "problem");
  }

  /** Returns whether clients must present a certificate the client CA signed. */
  public boolean mutual() {
    return !clientCaSecret.isEmpty();
  }

  /** Returns whether the host fails closed. */
  public boolean failed() {
    return !problem.isEmpty();
  }

  /** Shows every part; the CA by name only. */
  @Override
  public String toString() {
    return "DownstreamTls[clientCaSecret="
        + clientCaSecret
        + ", clientCa="
        + clientCa.map(TrustedCa::name).orElse("none")
        + ", ciphers="
        + ciphers
        + ", minVersion="
        + minVersion
        + ", maxVersion="
        + maxVersion
        + (problem.isEmpty() ? "" : ", problem=" + problem)
        + "]";
  }
}
