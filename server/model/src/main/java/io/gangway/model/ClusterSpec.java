package io.gangway.model;

import static java.util.Objects.requireNonNull;

/**
 * {@code ClusterSpec} is an upstream cluster: one discovered service at one service port.
 *
 * @param name the Envoy cluster name, {@code outbound|<port>||<host>} as Higress/Istio name them
 * @param serviceHost the registry host whose endpoints fill the cluster (e.g. {@code echo.static})
 * @param port the service port, 0 when the destination named none
 */
public record ClusterSpec(String name, String serviceHost, int port) {

  /** Validates all parts. */
  public ClusterSpec {
    requireNonNull(name, "name");
    requireNonNull(serviceHost, "serviceHost");
  }

  /** Returns the spec for {@code host} at {@code port}, named as Higress names it. */
  public static ClusterSpec of(String host, int port) {
    return new ClusterSpec("outbound|" + port + "||" + host, host, port);
  }
}
