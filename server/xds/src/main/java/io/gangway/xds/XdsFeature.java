package io.gangway.xds;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.gangway.model.ClusterSpec;

/**
 * {@code XdsFeature} is one xDS feature (websocket upgrades, edge hardening, access logs, ...). The
 * translator core builds the skeleton of each resource and lets every feature patch it, so adding a
 * feature never grows a switch in the core. Hooks default to no-ops. Implementations are stateless
 * and must be deterministic: the same input must give byte-identical output.
 */
public interface XdsFeature {

  /** Patches the HTTP connection manager of a listener. Only static settings may be used here. */
  default void patchHttpConnectionManager(HttpConnectionManager.Builder hcm, ListenerSettings settings) {}

  /** Patches one route, built from {@code source}. */
  default void patchRoute(Route.Builder route, io.gangway.model.Route source) {}

  /**
   * Patches one route of {@code table}, built from {@code source}. This is the hook the translator
   * calls; the default delegates to {@link #patchRoute(Route.Builder, io.gangway.model.Route)}, for
   * features that treat every listener alike.
   */
  default void patchRoute(Route.Builder route, io.gangway.model.Route source, RouteTable table) {
    patchRoute(route, source);
  }

  /**
   * Patches a whole route configuration (one per listener) after its virtual hosts are built: for
   * settings that apply to every route of a listener without repeating them per route.
   */
  default void patchRouteConfiguration(io.envoyproxy.envoy.config.route.v3.RouteConfiguration.Builder rc,
      RouteTable table) {}

  /** Patches one cluster, built from {@code spec}. */
  default void patchCluster(Cluster.Builder cluster, ClusterSpec spec) {}
}
