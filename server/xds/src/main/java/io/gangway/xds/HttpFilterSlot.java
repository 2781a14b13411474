package io.gangway.xds;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

/**
 * {@code HttpFilterSlot} is an HTTP filter a feature installs, and where in the chain it goes.
 *
 * @param order the filter's position, one of the {@link FilterOrder} constants; lower runs first on
 *     requests. The router is always last.
 * @param filter the filter; a policy filter is {@code disabled} here and enabled per route
 */
public record HttpFilterSlot(int order, HttpFilter filter) {

  /** Validates the parts. */
  public HttpFilterSlot {
    requireNonNull(filter, "filter");
  }
}
