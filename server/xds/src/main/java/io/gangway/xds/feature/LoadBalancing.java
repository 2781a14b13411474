package io.gangway.xds.feature;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.gangway.model.ClusterSpec;
import io.gangway.model.policy.LoadBalancer;
import io.gangway.model.policy.RequestHash;
import io.gangway.xds.XdsFeature;

/**
 * {@code LoadBalancing} gives a cluster with a {@link LoadBalancer} policy its Envoy {@code
 * lb_policy} ({@code least_conn} is Envoy's {@code LEAST_REQUEST}, a consistent hash is {@code
 * RING_HASH} as in Istio), and a forwarding route with a {@link RequestHash} its {@code
 * hash_policy}: a header, a query parameter, the connection's source IP, or a cookie that Envoy
 * sets on the response when the request has none (a session cookie when the max age is 0).
 */
final class LoadBalancing implements XdsFeature {

  @Override
  public void patchCluster(Cluster.Builder cluster, ClusterSpec spec) {
    spec.policies()
        .get(LoadBalancer.class)
        .ifPresent(
            lb ->
                cluster.setLbPolicy(
                    switch (lb.algorithm()) {
                      case ROUND_ROBIN -> Cluster.LbPolicy.ROUND_ROBIN;
                      case LEAST_CONN -> Cluster.LbPolicy.LEAST_REQUEST;
                      case RANDOM -> Cluster.LbPolicy.RANDOM;
                      case CONSISTENT_HASH -> Cluster.LbPolicy.RING_HASH;
                    }));
  }

  @Override
  public void patchRoute(Route.Builder route, io.gangway.model.Route source) {
    if (!route.hasRoute()) {
      return;
    }
    source
        .policies()
        .get(RequestHash.class)
        .ifPresent(
            h -> {
              RouteAction.HashPolicy.Builder p = RouteAction.HashPolicy.newBuilder();
              switch (h.source()) {
                case HEADER ->
                    p.setHeader(RouteAction.HashPolicy.Header.newBuilder().setHeaderName(h.name()));
                case QUERY_PARAMETER ->
                    p.setQueryParameter(
                        RouteAction.HashPolicy.QueryParameter.newBuilder().setName(h.name()));
                case SOURCE_IP ->
                    p.setConnectionProperties(
                        RouteAction.HashPolicy.ConnectionProperties.newBuilder().setSourceIp(true));
                case COOKIE ->
                    p.setCookie(
                        RouteAction.HashPolicy.Cookie.newBuilder()
                            .setName(h.name())
                            .setPath(h.cookiePath())
                            // A ttl is what makes Envoy generate the cookie; 0 gives a session
                            // cookie.
                            .setTtl(Duration.newBuilder().setSeconds(h.cookieMaxAgeSeconds())));
              }
              route.getRouteBuilder().addHashPolicy(p);
            });
  }
}
