package io.gangway.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.gangway.model.ClusterSpec;
import io.gangway.model.Destination;
import io.gangway.model.GatewayModel;
import io.gangway.model.PathMatch;
import io.gangway.model.Route;
import io.gangway.model.RouteAction;
import io.gangway.model.VirtualHost;
import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.EndpointSet;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.route.SourceRef;
import io.gangway.xds.feature.Features;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The property that keeps Envoy from draining connections on a route edit: listeners depend only on
 * the listener settings, so two models that differ in routes and clusters give byte-identical
 * Listener protos; and an endpoint change rebuilds EDS only.
 */
class ListenerStabilityTest {

  private static final SourceRef SRC = SourceRef.file("routes.yaml");
  private static final XdsTranslator TRANSLATOR =
      new XdsTranslator(
          List.of(
              new ListenerSettings(
                  "0.0.0.0",
                  8080,
                  "/var/log/access.log",
                  1,
                  Duration.ofSeconds(10),
                  Duration.ofHours(1),
                  Duration.ofMinutes(5),
                  60,
                  "unescape-and-redirect"),
              ListenerSettings.defaults("127.0.0.1", 8443)),
          Features.defaults(),
          Duration.ofSeconds(5));

  private static Route route(String name, PathMatch match, RouteAction action) {
    return new Route(name, match, action, SRC);
  }

  /** One host, one prefix route to a.static. */
  private static GatewayModel small() {
    ClusterSpec a = ClusterSpec.of("a.static", 80);
    return new GatewayModel(
        List.of(
            new VirtualHost(
                "www.example.com",
                List.of(route("r1", PathMatch.prefix("/"), RouteAction.forward(a.name()))))),
        List.of(a),
        List.of(new RegistryConfig("static", "a", Map.of())));
  }

  /**
   * Other hosts, routes, clusters, weights and a direct response: everything but the listener
   * settings.
   */
  private static GatewayModel large() {
    ClusterSpec a = ClusterSpec.of("a.static", 80);
    ClusterSpec b = ClusterSpec.of("b.static", 8080);
    return new GatewayModel(
        List.of(
            new VirtualHost(
                "*.example.com",
                List.of(
                    route("w1", PathMatch.exact("/login"), RouteAction.forward(b.name())),
                    route(
                        "w2",
                        PathMatch.prefix("/api"),
                        new RouteAction.Forward(
                            List.of(
                                new Destination(a.name(), 70), new Destination(b.name(), 30)))))),
            new VirtualHost(
                "*",
                List.of(
                    route(
                        "any",
                        PathMatch.prefix("/"),
                        new RouteAction.DirectResponse(503, "down\n"))))),
        List.of(a, b),
        List.of());
  }

  private static Map<String, EndpointSet> endpoints(String... addresses) {
    List<Endpoint> eps = java.util.Arrays.stream(addresses).map(a -> Endpoint.of(a, 8001)).toList();
    return Map.of(
        "a.static", new EndpointSet("a.static", eps), "b.static", new EndpointSet("b.static", eps));
  }

  private static List<byte[]> bytes(List<? extends Message> messages) {
    return messages.stream().map(Message::toByteArray).toList();
  }

  @Test
  void translate_modelsDifferingInRoutesAndClusters_giveByteIdenticalListeners() {
    XdsResources before = TRANSLATOR.translate(small(), endpoints("10.0.0.1"));
    XdsResources after = TRANSLATOR.translate(large(), endpoints("10.0.0.1"));

    // The inputs really differ where routes and clusters live ...
    assertThat(bytes(after.routes()))
        .usingElementComparator(java.util.Arrays::compare)
        .isNotEqualTo(bytes(before.routes()));
    assertThat(after.clusters()).hasSize(2).isNotEqualTo(before.clusters());
    // ... and the listeners are the same bytes, so Envoy keeps them (no drain).
    assertThat(after.listeners()).hasSize(2);
    for (int i = 0; i < after.listeners().size(); i++) {
      assertThat(after.listeners().get(i).toByteArray())
          .isEqualTo(before.listeners().get(i).toByteArray());
    }
  }

  @Test
  void translate_emptyModel_givesTheSameListenersAsAnyOther() {
    XdsResources empty = TRANSLATOR.translate(GatewayModel.empty(), Map.of());
    XdsResources full = TRANSLATOR.translate(large(), endpoints("10.0.0.1"));
    assertThat(bytes(empty.listeners()))
        .usingElementComparator(java.util.Arrays::compare)
        .isEqualTo(bytes(full.listeners()));
  }

  @Test
  void translate_otherListenerSettings_changeTheListener() {
    XdsTranslator other =
        new XdsTranslator(
            List.of(ListenerSettings.defaults("0.0.0.0", 8080)),
            Features.defaults(),
            Duration.ofSeconds(5));
    assertThat(other.translate(small(), Map.of()).listeners().get(0).toByteArray())
        .isNotEqualTo(TRANSLATOR.translate(small(), Map.of()).listeners().get(0).toByteArray());
  }

  @Test
  void translate_sameInputTwice_isByteIdenticalEverywhere() {
    XdsResources one = TRANSLATOR.translate(large(), endpoints("10.0.0.2", "10.0.0.1"));
    XdsResources two = TRANSLATOR.translate(large(), endpoints("10.0.0.1", "10.0.0.2"));
    assertThat(one).isEqualTo(two);
  }

  @Test
  void endpoints_instanceChange_changesOnlyEds() {
    GatewayModel model = large();
    XdsResources before = TRANSLATOR.translate(model, endpoints("10.0.0.1"));
    XdsResources after =
        before.withEndpoints(TRANSLATOR.endpoints(model, endpoints("10.0.0.1", "10.0.0.9")));

    assertThat(after.endpoints()).isNotEqualTo(before.endpoints());
    assertThat(after.endpoints().get(0).getEndpoints(0).getLbEndpointsCount()).isEqualTo(2);
    assertThat(after.listeners()).isEqualTo(before.listeners());
    assertThat(after.routes()).isEqualTo(before.routes());
    assertThat(after.clusters()).isEqualTo(before.clusters());
    // The EDS-only path gives exactly what a full translation would.
    assertThat(after).isEqualTo(TRANSLATOR.translate(model, endpoints("10.0.0.1", "10.0.0.9")));
  }

  @Test
  void endpoints_unknownService_givesAnEmptyAssignmentPerCluster() {
    var cla = TRANSLATOR.endpoints(large(), Map.of());
    assertThat(cla).hasSize(2).allSatisfy(c -> assertThat(c.getEndpointsCount()).isZero());
    assertThat(cla)
        .extracting(c -> c.getClusterName())
        .containsExactly("outbound|80||a.static", "outbound|8080||b.static");
  }
}
