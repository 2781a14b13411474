package io.gangway.model;

import static java.util.Objects.requireNonNull;

import io.gangway.model.policy.Policies;

/**
 * {@code ClusterSpec} is an upstream cluster: one discovered service at one service port.
 *
 * @param name the Envoy cluster name, {@code outbound|<port>||<host>} as Higress/Istio name them
 * @param serviceHost the registry host whose endpoints fill the cluster (e.g. {@code echo.static})
 * @param port the service port, 0 when the destination named none
 * @param protocol how Envoy talks to the endpoints
 * @param policies service-scope policies (load balancing, upstream TLS…); as in Higress, those of
 *     the oldest Ingress that uses the cluster
 */
public record ClusterSpec(
    String name, String serviceHost, int port, UpstreamProtocol protocol, Policies policies) {

  /** Validates all parts. */
  public ClusterSpec {
    requireNonNull(name, "name");
    requireNonNull(serviceHost, "serviceHost");
    requireNonNull(protocol, "protocol");
    requireNonNull(policies, "policies");
  }

  /** Returns a spec without service-scope policies. */
  public ClusterSpec(String name, String serviceHost, int port, UpstreamProtocol protocol) {
    this(name, serviceHost, port, protocol, Policies.none());
  }

  /** Returns this spec speaking {@code p}. */
  public ClusterSpec withProtocol(UpstreamProtocol p) {
    return new ClusterSpec(name, serviceHost, port, p, policies);
  }

  /** Returns this spec with {@code replacement} policies. */
  public ClusterSpec withPolicies(Policies replacement) {
    return new ClusterSpec(name, serviceHost, port, protocol, replacement);
  }

  /** Returns the HTTP/1.1 spec for {@code host} at {@code port}, named as Higress names it. */
  public static ClusterSpec of(String host, int port) {
    return of(host, port, UpstreamProtocol.HTTP);
  }

  /** Returns the spec for {@code host} at {@code port} speaking {@code protocol}. */
  public static ClusterSpec of(String host, int port, UpstreamProtocol protocol) {
    return new ClusterSpec("outbound|" + port + "||" + host, host, port, protocol);
  }
}
