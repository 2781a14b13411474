package io.gangway.server.ads;

import io.envoyproxy.controlplane.cache.SnapshotResources;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An Envoy as the publisher sees it over delta ADS: it applies one xDS type at a time, in the order
 * a test chooses (real Envoy applies each type on its own, in whatever order responses arrive),
 * ACKs each, and tells which clusters its routes name that it does not have ({@code 503 NC}).
 */
final class FakeEnvoy {

  private final SnapshotPublisher publisher;
  private final long stream;
  private final Map<String, Map<String, String>> versions = new HashMap<>();
  private final Map<String, RouteConfiguration> routes = new HashMap<>();
  private int nonce;

  FakeEnvoy(SnapshotPublisher publisher, long stream) {
    this.publisher = publisher;
    this.stream = stream;
  }

  /** Applies what the cache holds for {@code typeUrl} now, and ACKs it. */
  void apply(String typeUrl) {
    ack(typeUrl, receive(typeUrl));
  }

  /** ACKs the response {@code nonce} of {@code typeUrl}. */
  void ack(String typeUrl, String nonce) {
    publisher
        .acks()
        .deltaRequest(
            stream,
            DeltaDiscoveryRequest.newBuilder().setTypeUrl(typeUrl).setResponseNonce(nonce).build());
  }

  /**
   * Receives and applies what the cache holds for {@code typeUrl} now, without ACKing yet; returns
   * the nonce.
   */
  String receive(String typeUrl) {
    StableSnapshot s = (StableSnapshot) publisher.cache().getSnapshot(SnapshotPublisher.GROUP);
    SnapshotResources<?> r =
        switch (typeUrl) {
          case AckTracker.CLUSTERS -> s.clusters();
          case AckTracker.LISTENERS -> s.listeners();
          case AckTracker.ENDPOINTS -> s.endpoints();
          default -> s.routes();
        };
    Map<String, String> have = versions.computeIfAbsent(typeUrl, t -> new HashMap<>());
    DeltaDiscoveryResponse.Builder response =
        DeltaDiscoveryResponse.newBuilder().setTypeUrl(typeUrl).setNonce(Integer.toString(++nonce));
    r.versionedResources()
        .forEach(
            (name, v) -> {
              if (!v.version().equals(have.get(name))) {
                response.addResources(Resource.newBuilder().setName(name).setVersion(v.version()));
              }
            });
    have.keySet().stream()
        .filter(n -> !r.versionedResources().containsKey(n))
        .forEach(response::addRemovedResources);
    have.clear();
    r.versionedResources().forEach((name, v) -> have.put(name, v.version()));
    if (typeUrl.equals(AckTracker.ROUTES)) {
      routes.clear();
      s.routes().resources().forEach(routes::put);
    }
    publisher.acks().deltaResponse(stream, response.build());
    return response.getNonce();
  }

  /** Applies clusters, endpoints, listeners and routes, in that order. */
  void applyAll() {
    apply(AckTracker.CLUSTERS);
    apply(AckTracker.ENDPOINTS);
    apply(AckTracker.LISTENERS);
    apply(AckTracker.ROUTES);
  }

  /** Returns the clusters its route tables name that its CDS state lacks. */
  Set<String> missingClusters() {
    Set<String> have = versions.getOrDefault(AckTracker.CLUSTERS, Map.of()).keySet();
    Set<String> out = new TreeSet<>();
    for (RouteConfiguration rc : routes.values()) {
      for (VirtualHost vh : rc.getVirtualHostsList()) {
        for (Route route : vh.getRoutesList()) {
          if (!route.getRoute().getCluster().isEmpty()) {
            out.add(route.getRoute().getCluster());
          }
          for (WeightedCluster.ClusterWeight w :
              route.getRoute().getWeightedClusters().getClustersList()) {
            out.add(w.getName());
          }
        }
      }
    }
    out.removeAll(have);
    return out;
  }

  /** Returns the clusters it has. */
  Set<String> clusters() {
    return new TreeSet<>(versions.getOrDefault(AckTracker.CLUSTERS, Map.of()).keySet());
  }
}
