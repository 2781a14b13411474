package io.gangway.xds;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.List;

/**
 * {@code XdsResources} is a complete, consistent set of xDS resources, each list sorted by name.
 *
 * @param listeners LDS
 * @param routes RDS
 * @param clusters CDS
 * @param endpoints EDS, one per cluster
 * @param secrets SDS
 */
public record XdsResources(
    List<Listener> listeners,
    List<RouteConfiguration> routes,
    List<Cluster> clusters,
    List<ClusterLoadAssignment> endpoints,
    List<Secret> secrets) {

  /** Copies the lists. */
  public XdsResources {
    listeners = List.copyOf(listeners);
    routes = List.copyOf(routes);
    clusters = List.copyOf(clusters);
    endpoints = List.copyOf(endpoints);
    secrets = List.copyOf(secrets);
  }

  /**
   * Names the resources per type; never their content, since {@link #secrets()} hold private keys
   * (the generated record form would print them).
   */
  @Override
  public String toString() {
    return "XdsResources[listeners="
        + listeners.stream().map(Listener::getName).toList()
        + ", routes="
        + routes.stream().map(RouteConfiguration::getName).toList()
        + ", clusters="
        + clusters.size()
        + ", endpoints="
        + endpoints.size()
        + ", secrets="
        + secrets.stream().map(Secret::getName).toList()
        + "]";
  }

  /** Returns these resources with other endpoints: the EDS-only update path. */
  public XdsResources withEndpoints(List<ClusterLoadAssignment> newEndpoints) {
    return new XdsResources(listeners, routes, clusters, newEndpoints, secrets);
  }

  /**
   * Returns these resources with other clusters and endpoints: the registry update path (clusters
   * can follow instance metadata; content versions make unchanged clusters a no-op for Envoy).
   */
  public XdsResources withClustersAndEndpoints(
      List<Cluster> newClusters, List<ClusterLoadAssignment> newEndpoints) {
    return new XdsResources(listeners, routes, newClusters, newEndpoints, secrets);
  }
}
