package io.gangway.model.policy;

import static java.util.Objects.requireNonNull;

import io.gangway.model.Certificate;
import java.util.Optional;

/**
 * {@code UpstreamTls} is how Envoy authenticates to and verifies a cluster's TLS endpoints (the
 * {@code proxy-ssl-*} annotations, service scope). Certificates travel over SDS by name; the
 * private key never appears in {@link #toString()}.
 *
 * @param secret the {@code namespace/name} of the client-certificate Secret, empty when none
 * @param clientCertificate the client certificate presented upstream (mutual TLS), if any
 * @param trustedCa the CA the upstream certificate is verified against when {@code verify}, if any
 * @param verify whether the upstream certificate is verified ({@code proxy-ssl-verify: on})
 * @param serverName the name sent as SNI (when {@code sendServerName}) and required in the upstream
 *     certificate's subject alternative names (when {@code verify}); empty when none
 * @param sendServerName whether SNI is sent ({@code proxy-ssl-server-name: on})
 * @param problem why the policy cannot be applied (a Secret named but not found); empty when it
 *     can. A policy with a problem fails closed: its clusters get no endpoints, so requests answer
 *     503
 */
public record UpstreamTls(
    String secret,
    Optional<Certificate> clientCertificate,
    Optional<TrustedCa> trustedCa,
    boolean verify,
    String serverName,
    boolean sendServerName,
    String problem)
    implements Policy {

  /** Validates all parts. */
  public UpstreamTls {
    requireNonNull(secret, "secret");
    requireNonNull(clientCertificate, "clientCertificate");
    requireNonNull(trustedCa, "trustedCa");
    requireNonNull(serverName, "serverName");
    requireNonNull(problem, "problem");
  }

  /** Returns whether the policy fails closed. */
  public boolean failed() {
    return !problem.isEmpty();
  }

  /** Shows every part; the client certificate by name only. */
  @Override
  public String toString() {
    return "UpstreamTls[secret="
        + secret
        + ", clientCertificate="
        + clientCertificate.map(Certificate::name).orElse("none")
        + ", trustedCa="
        + trustedCa.map(TrustedCa::name).orElse("none")
        + ", verify="
        + verify
        + ", serverName="
        + serverName
        + ", sendServerName="
        + sendServerName
        + (problem.isEmpty() ? "" : ", problem=" + problem)
        + "]";
  }
}
