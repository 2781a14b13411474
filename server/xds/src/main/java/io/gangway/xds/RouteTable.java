package io.gangway.xds;

import static java.util.Objects.requireNonNull;

/**
 * {@code RouteTable} is what a feature may know about the route configuration it patches: the
 * listener it serves (plain or TLS) and where HTTPS is served. Every listener has its own table, so
 * a feature can treat plain and TLS listeners differently (e.g. redirect plain HTTP to HTTPS).
 *
 * @param listener the settings of the listener this table serves
 * @param httpsPort the port of the first TLS listener, 443 when none is configured; the port an
 *     HTTPS redirect points at
 */
public record RouteTable(ListenerSettings listener, int httpsPort) {

  /** Validates the parts. */
  public RouteTable {
    requireNonNull(listener, "listener");
  }
}
