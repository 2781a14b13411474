package io.gangway.xds.feature;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.clusters.aggregate.v3.ClusterConfig;
import io.gangway.model.ClusterSpec;
import io.gangway.model.GatewayModel;
import io.gangway.model.VirtualHost;
import io.gangway.model.policy.Fallback;
import io.gangway.xds.XdsContext;
import io.gangway.xds.XdsFeature;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code FallbackCluster} implements {@link Fallback} with upstream Envoy's aggregate cluster
 * ({@code envoy.clusters.aggregate}): each cluster a route with the policy forwards to is replaced
 * by an aggregate of {@code [primary, fallback]}, whose load balancer uses the fallback only while
 * the primary has no healthy endpoint (the priority levels of the two are chained, and the
 * primary's overprovisioning factor is raised so that it keeps everything while one endpoint is
 * healthy). Higress does this with its own cluster-specifier plugin, which upstream Envoy does not
 * have. The aggregates are generated clusters named {@code fallback|<primary>|<fallback>}; the
 * route, and therefore RDS, changes only for routes with the policy.
 */
final class FallbackCluster implements XdsFeature {

  @Override
  public void patchRoute(Route.Builder route, io.gangway.model.Route source) {
    var fallback = source.policies().get(Fallback.class);
    if (fallback.isEmpty() || !route.hasRoute()) {
      return;
    }
    String to = fallback.get().backend().cluster();
    RouteAction.Builder action = route.getRouteBuilder();
    if (action.hasWeightedClusters()) {
      for (WeightedCluster.ClusterWeight.Builder w :
          action.getWeightedClustersBuilder().getClustersBuilderList()) {
        w.setName(name(w.getName(), to));
      }
    } else if (!action.getCluster().isEmpty()) {
      action.setCluster(name(action.getCluster(), to));
    }
  }

  @Override
  public List<Cluster> extraClusters(XdsContext context) {
    TreeMap<String, Cluster> out = new TreeMap<>();
    for (VirtualHost vh : context.model().virtualHosts()) {
      for (io.gangway.model.Route r : vh.routes()) {
        var fallback = r.policies().get(Fallback.class);
        if (fallback.isEmpty() || !(r.action() instanceof io.gangway.model.RouteAction.Forward f)) {
          continue;
        }
        String to = fallback.get().backend().cluster();
        f.destinations()
            .forEach(
                d ->
                    out.computeIfAbsent(name(d.cluster(), to), n -> aggregate(n, d.cluster(), to)));
      }
    }
    return new ArrayList<>(out.values());
  }

  /**
   * Makes a primary of a fallback keep all traffic while any of its endpoints is healthy: Envoy
   * spills load to the next priority (here the fallback) once fewer than 1/overprovisioning of the
   * endpoints are healthy, 71 % with the default factor 1.4; with 100000 (1000x) it is only at
   * zero, as Higress. Gangway's EDS has one priority and one locality, so the factor changes
   * nothing else.
   */
  @Override
  public void patchEndpoints(
      ClusterLoadAssignment.Builder endpoints, ClusterSpec spec, XdsContext context) {
    if (context
        .derived(Primaries.class, Primaries.class, Primaries::of)
        .names()
        .contains(spec.name())) {
      endpoints.setPolicy(
          ClusterLoadAssignment.Policy.newBuilder()
              .setOverprovisioningFactor(UInt32Value.of(100_000)));
    }
  }

  /** The clusters some route with a fallback forwards to, found once per translation. */
  private record Primaries(Set<String> names) {
    static Primaries of(GatewayModel model) {
      Set<String> names = new HashSet<>();
      for (VirtualHost vh : model.virtualHosts()) {
        for (io.gangway.model.Route r : vh.routes()) {
          if (r.policies().has(Fallback.class)
              && r.action() instanceof io.gangway.model.RouteAction.Forward f) {
            f.destinations().forEach(d -> names.add(d.cluster()));
          }
        }
      }
      return new Primaries(names);
    }
  }

  static String name(String primary, String fallback) {
    return "fallback|" + primary + "|" + fallback;
  }

  private static Cluster aggregate(String name, String primary, String fallback) {
    return Cluster.newBuilder()
        .setName(name)
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(1))
        .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
        .setClusterType(
            Cluster.CustomClusterType.newBuilder()
                .setName("envoy.clusters.aggregate")
                .setTypedConfig(
                    Any.pack(
                        ClusterConfig.newBuilder()
                            .addClusters(primary)
                            .addClusters(fallback)
                            .build())))
        .build();
  }
}
