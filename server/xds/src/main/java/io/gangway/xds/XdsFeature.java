package io.gangway.xds;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.gangway.model.ClusterSpec;
import java.util.List;

/**
 * {@code XdsFeature} is one xDS feature (websocket upgrades, edge hardening, a policy family…). The
 * translator core builds the skeleton of each resource and lets every feature patch it, so adding a
 * feature never grows a switch in the core. Hooks default to no-ops. Implementations are stateless
 * and must be deterministic: the same input must give byte-identical output.
 *
 * <p>A policy that needs an HTTP filter declares it with {@link #httpFilters}: the filter is
 * installed, disabled, in every HTTP connection manager whether or not a route uses it, and each
 * route that has the policy enables it with per-route config ({@link PerRouteFilter}). Adding,
 * changing or removing the policy then changes RDS only: listeners stay byte-identical and Envoy
 * drains nothing.
 */
public interface XdsFeature {

  /**
   * Returns the HTTP filters this feature installs in every HTTP connection manager, each at its
   * {@link HttpFilterSlot#order()}. Only static settings may be used here: the result must not
   * depend on the routes.
   */
  default List<HttpFilterSlot> httpFilters(ListenerSettings settings) {
    return List.of();
  }

  /** Patches the HTTP connection manager of a listener. Only static settings may be used here. */
  default void patchHttpConnectionManager(
      HttpConnectionManager.Builder hcm, ListenerSettings settings) {}

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

  /** Patches one virtual host of {@code table} after its routes are built, from {@code source}. */
  default void patchVirtualHost(
      VirtualHost.Builder vhost, io.gangway.model.VirtualHost source, RouteTable table) {}

  /**
   * Patches a whole route configuration (one per listener) after its virtual hosts are built: for
   * settings that apply to every route of a listener without repeating them per route.
   */
  default void patchRouteConfiguration(RouteConfiguration.Builder rc, RouteTable table) {}

  /**
   * Patches one cluster, built from {@code spec}; {@code context} holds the model and the
   * endpoints. The result may depend only on {@code spec} and on the endpoints of its service
   * ({@code context.endpoints().get(spec.serviceHost())}): the translator reuses the last cluster
   * built when both are equal, so anything else read here would go stale.
   */
  default void patchCluster(Cluster.Builder cluster, ClusterSpec spec, XdsContext context) {
    patchCluster(cluster, spec);
  }

  /** Patches one cluster, for features that need only its spec. */
  default void patchCluster(Cluster.Builder cluster, ClusterSpec spec) {}

  /**
   * Patches the endpoints (EDS) of one cluster of the model, built from {@code spec} and the
   * discovered endpoints in {@code context}; called on route edits and registry changes alike.
   */
  default void patchEndpoints(
      ClusterLoadAssignment.Builder endpoints, ClusterSpec spec, XdsContext context) {}

  /**
   * Patches the TLS context of the filter chain that serves host {@code source} on a TLS listener
   * (client certificates, ciphers, protocol versions). Hosts sharing a certificate share a filter
   * chain only when their patched contexts are equal. Refer to CA and certificate material by SDS
   * name only ({@link #extraSecrets}), so rotating it changes SDS and not the listener.
   */
  default void patchDownstreamTls(
      DownstreamTlsContext.Builder tls, io.gangway.model.VirtualHost source) {}

  /**
   * Returns SDS secrets this feature's clusters or filter chains refer to by name (client
   * certificates, CA bundles). A name also used by a server certificate must carry the same
   * content.
   */
  default List<Secret> extraSecrets(XdsContext context) {
    return List.of();
  }

  /**
   * Returns clusters this feature needs beyond the model's (none so far; e.g. a rate-limit
   * service). They must be named so they cannot clash with {@code outbound|…} clusters.
   */
  default List<Cluster> extraClusters(XdsContext context) {
    return List.of();
  }
}
