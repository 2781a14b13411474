package io.gangway.xds;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

/**
 * {@code PerRouteFilter} installs a policy filter disabled in the connection manager and enables it
 * on the routes that use it (Envoy's route-based filter chain: a {@code disabled} filter runs only
 * where a route or virtual host gives it a {@link FilterConfig}).
 */
public final class PerRouteFilter {

  private PerRouteFilter() {}

  /**
   * Returns the filter {@code name} with its listener-level {@code config}, disabled by default.
   */
  public static HttpFilterSlot disabled(int order, String name, Message config) {
    return new HttpFilterSlot(
        order,
        HttpFilter.newBuilder()
            .setName(name)
            .setTypedConfig(Any.pack(config))
            .setDisabled(true)
            .build());
  }

  /** Enables filter {@code name} on {@code route} with per-route {@code config}. */
  public static void enable(Route.Builder route, String name, Message config) {
    route.putTypedPerFilterConfig(
        name, Any.pack(FilterConfig.newBuilder().setConfig(Any.pack(config)).build()));
  }

  /** Enables filter {@code name} on every route of {@code vhost} with per-host {@code config}. */
  public static void enable(VirtualHost.Builder vhost, String name, Message config) {
    vhost.putTypedPerFilterConfig(
        name, Any.pack(FilterConfig.newBuilder().setConfig(Any.pack(config)).build()));
  }
}
