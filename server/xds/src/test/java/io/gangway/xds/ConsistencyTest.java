package io.gangway.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.gangway.model.ClusterSpec;
import io.gangway.model.GatewayModel;
import io.gangway.model.PathMatch;
import io.gangway.model.RouteAction.DirectResponse;
import io.gangway.spi.route.SourceRef;
import io.gangway.xds.feature.Features;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each kind of dangling reference that would make Envoy wait or answer 503 is found. */
class ConsistencyTest {

  private static final XdsTranslator TRANSLATOR =
      new XdsTranslator(
          List.of(ListenerSettings.defaults("0.0.0.0", 8080)),
          Features.defaults(),
          Duration.ofSeconds(5));

  /**
   * A consistent set: one listener, its table, one route to one EDS cluster with its assignment.
   */
  private static XdsResources consistent() {
    ClusterSpec a = ClusterSpec.of("a.static", 80);
    GatewayModel m =
        new GatewayModel(
            List.of(
                new io.gangway.model.VirtualHost(
                    "*",
                    List.of(
                        new io.gangway.model.Route(
                            "r",
                            PathMatch.prefix("/"),
                            io.gangway.model.RouteAction.forward(a.name()),
                            SourceRef.file("x.yaml"))))),
            List.of(a),
            List.of());
    return TRANSLATOR.translate(m, Map.of());
  }

  private static XdsResources withRoutes(XdsResources r, List<RouteConfiguration> routes) {
    return new XdsResources(r.listeners(), routes, r.clusters(), r.endpoints(), r.secrets());
  }

  private static Route routeTo(String name, RouteAction action) {
    return Route.newBuilder()
        .setName(name)
        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
        .setRoute(action)
        .build();
  }

  @Test
  void problems_translatorOutput_isEmpty() {
    assertThat(Consistency.problems(consistent())).isEmpty();
    assertThat(Consistency.problems(TRANSLATOR.translate(GatewayModel.empty(), Map.of())))
        .isEmpty();
  }

  @Test
  void problems_missingRouteTable_isFound() {
    XdsResources r = withRoutes(consistent(), List.of());
    assertThat(Consistency.problems(r))
        .containsExactly("listener http.8080 needs missing route table http.8080");
  }

  @Test
  void problems_clusterWithoutEndpoints_isFound() {
    XdsResources r = consistent().withEndpoints(List.of());
    assertThat(Consistency.problems(r))
        .containsExactly("cluster outbound|80||a.static has no endpoints resource");
  }

  @Test
  void problems_edsServiceName_isWhatNeedsTheAssignment() {
    XdsResources base = consistent();
    Cluster c =
        base.clusters().get(0).toBuilder()
            .setEdsClusterConfig(
                base.clusters().get(0).getEdsClusterConfig().toBuilder().setServiceName("svc"))
            .build();
    XdsResources r =
        new XdsResources(base.listeners(), base.routes(), List.of(c), base.endpoints(), List.of());
    assertThat(Consistency.problems(r))
        .containsExactly("cluster outbound|80||a.static has no endpoints resource");
    XdsResources fixed =
        r.withEndpoints(List.of(ClusterLoadAssignment.newBuilder().setClusterName("svc").build()));
    assertThat(Consistency.problems(fixed)).isEmpty();
  }

  @Test
  void problems_staticClusterWithoutEds_isFine() {
    XdsResources base = consistent();
    Cluster c = base.clusters().get(0).toBuilder().setType(Cluster.DiscoveryType.STATIC).build();
    assertThat(
            Consistency.problems(
                new XdsResources(
                    base.listeners(), base.routes(), List.of(c), List.of(), List.of())))
        .isEmpty();
  }

  @Test
  void problems_routeToMissingCluster_isFound() {
    XdsResources base = consistent();
    RouteConfiguration rc =
        base.routes().get(0).toBuilder()
            .setVirtualHosts(
                0,
                VirtualHost.newBuilder()
                    .setName("any")
                    .addDomains("*")
                    .addRoutes(
                        routeTo(
                            "plain",
                            RouteAction.newBuilder()
                                .setCluster("outbound|80||gone.static")
                                .build()))
                    .addRoutes(
                        routeTo(
                            "weighted",
                            RouteAction.newBuilder()
                                .setWeightedClusters(
                                    WeightedCluster.newBuilder()
                                        .addClusters(
                                            WeightedCluster.ClusterWeight.newBuilder()
                                                .setName("outbound|80||a.static")
                                                .setWeight(UInt32Value.of(50)))
                                        .addClusters(
                                            WeightedCluster.ClusterWeight.newBuilder()
                                                .setName("outbound|80||other.static")
                                                .setWeight(UInt32Value.of(50))))
                                .build())))
            .build();
    assertThat(Consistency.problems(withRoutes(base, List.of(rc))))
        .containsExactly(
            "route plain points at missing cluster outbound|80||gone.static",
            "route weighted points at missing cluster outbound|80||other.static");
  }

  @Test
  void problems_directResponseRoute_needsNoCluster() {
    GatewayModel m =
        new GatewayModel(
            List.of(
                new io.gangway.model.VirtualHost(
                    "*",
                    List.of(
                        new io.gangway.model.Route(
                            "r",
                            PathMatch.prefix("/"),
                            new DirectResponse(503, "x"),
                            SourceRef.file("x"))))),
            List.of(),
            List.of());
    assertThat(Consistency.problems(TRANSLATOR.translate(m, Map.of()))).isEmpty();
  }

  @Test
  void problems_duplicateNames_areFound() {
    XdsResources base = consistent();
    List<Listener> ls = new ArrayList<>(base.listeners());
    ls.addAll(base.listeners());
    List<Cluster> cs = new ArrayList<>(base.clusters());
    cs.addAll(base.clusters());
    XdsResources r = new XdsResources(ls, base.routes(), cs, base.endpoints(), List.of());
    assertThat(Consistency.problems(r))
        .contains("duplicate listener http.8080", "duplicate cluster outbound|80||a.static");
  }
}
