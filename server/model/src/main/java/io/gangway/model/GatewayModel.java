package io.gangway.model;

import io.gangway.spi.registry.RegistryConfig;
import java.util.List;

/**
 * {@code GatewayModel} is the whole translated routing state: what the route documents mean,
 * independent of Envoy. Endpoints are not part of it; they join only in the xDS stage, so an instance
 * change never re-runs route translation.
 *
 * @param virtualHosts sorted by host; {@code *} last
 * @param clusters sorted by name
 * @param registries the McpBridge registries, in declaration order
 */
public record GatewayModel(
    List<VirtualHost> virtualHosts, List<ClusterSpec> clusters, List<RegistryConfig> registries) {

  /** Copies the lists. */
  public GatewayModel {
    virtualHosts = List.copyOf(virtualHosts);
    clusters = List.copyOf(clusters);
    registries = List.copyOf(registries);
  }

  /** Returns a model with no routes, clusters or registries. */
  public static GatewayModel empty() {
    return new GatewayModel(List.of(), List.of(), List.of());
  }
}
