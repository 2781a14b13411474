package io.gangway.xds;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code Consistency} checks that a resource set is complete before it is published: every
 * listener's route table exists, every SDS secret a TLS filter chain names exists, every EDS
 * cluster has its assignment, every route points at an existing cluster, and names are unique. A
 * failure means a translator bug; publishing such a set would make Envoy wait for a missing
 * resource or answer 503, so the publisher refuses it and Envoy keeps the last good set.
 * (java-control-plane's own check only recognises the legacy filter name.)
 */
public final class Consistency {

  private Consistency() {}

  /** Returns the problems found, empty when consistent. */
  public static List<String> problems(XdsResources r) {
    List<String> out = new ArrayList<>();
    Set<String> routeNames =
        names(r.routes().stream().map(RouteConfiguration::getName).toList(), "route", out);
    Set<String> clusterNames =
        names(r.clusters().stream().map(Cluster::getName).toList(), "cluster", out);
    Set<String> edsNames =
        names(
            r.endpoints().stream().map(ClusterLoadAssignment::getClusterName).toList(),
            "endpoints",
            out);
    names(r.listeners().stream().map(Listener::getName).toList(), "listener", out);
    Set<String> secretNames =
        names(r.secrets().stream().map(Secret::getName).toList(), "secret", out);
    for (Listener l : r.listeners()) {
      for (FilterChain chain : l.getFilterChainsList()) {
        for (String secret : sdsSecrets(chain, l.getName(), out)) {
          if (!secretNames.contains(secret)) {
            out.add("listener " + l.getName() + " needs missing secret " + secret);
          }
        }
        for (Filter f : chain.getFiltersList()) {
          if (!f.getTypedConfig().is(HttpConnectionManager.class)) {
            continue;
          }
          try {
            HttpConnectionManager hcm = f.getTypedConfig().unpack(HttpConnectionManager.class);
            if (hcm.hasRds() && !routeNames.contains(hcm.getRds().getRouteConfigName())) {
              out.add(
                  "listener "
                      + l.getName()
                      + " needs missing route table "
                      + hcm.getRds().getRouteConfigName());
            }
          } catch (InvalidProtocolBufferException e) {
            out.add("listener " + l.getName() + " has an unreadable connection manager");
          }
        }
      }
    }
    for (Cluster c : r.clusters()) {
      String eds =
          c.getEdsClusterConfig().getServiceName().isEmpty()
              ? c.getName()
              : c.getEdsClusterConfig().getServiceName();
      if (c.getType() == Cluster.DiscoveryType.EDS && !edsNames.contains(eds)) {
        out.add("cluster " + c.getName() + " has no endpoints resource");
      }
    }
    for (RouteConfiguration rc : r.routes()) {
      for (VirtualHost vh : rc.getVirtualHostsList()) {
        for (Route route : vh.getRoutesList()) {
          List<String> targets = new ArrayList<>();
          if (route.getRoute().hasWeightedClusters()) {
            route.getRoute().getWeightedClusters().getClustersList().stream()
                .map(WeightedCluster.ClusterWeight::getName)
                .forEach(targets::add);
          } else if (!route.getRoute().getCluster().isEmpty()) {
            targets.add(route.getRoute().getCluster());
          }
          targets.stream()
              .filter(t -> !clusterNames.contains(t))
              .forEach(
                  t -> out.add("route " + route.getName() + " points at missing cluster " + t));
        }
      }
    }
    return out;
  }

  /** Returns the SDS secrets a filter chain's downstream TLS context names. */
  private static List<String> sdsSecrets(FilterChain chain, String listener, List<String> out) {
    if (!chain.hasTransportSocket()
        || !chain.getTransportSocket().getTypedConfig().is(DownstreamTlsContext.class)) {
      return List.of();
    }
    try {
      CommonTlsContext common =
          chain
              .getTransportSocket()
              .getTypedConfig()
              .unpack(DownstreamTlsContext.class)
              .getCommonTlsContext();
      List<String> names =
          new ArrayList<>(
              common.getTlsCertificateSdsSecretConfigsList().stream()
                  .map(SdsSecretConfig::getName)
                  .toList());
      if (common.hasValidationContextSdsSecretConfig()) {
        names.add(common.getValidationContextSdsSecretConfig().getName());
      }
      return names;
    } catch (InvalidProtocolBufferException e) {
      out.add("listener " + listener + " has an unreadable TLS context");
      return List.of();
    }
  }

  private static Set<String> names(List<String> names, String kind, List<String> out) {
    Set<String> seen = new HashSet<>();
    for (String n : names) {
      if (!seen.add(n)) {
        out.add("duplicate " + kind + " " + n);
      }
    }
    return seen;
  }
}
