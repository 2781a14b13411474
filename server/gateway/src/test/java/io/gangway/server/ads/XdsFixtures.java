package io.gangway.server.ads;

import io.gangway.model.ClusterSpec;
import io.gangway.model.GatewayModel;
import io.gangway.model.PathMatch;
import io.gangway.model.Route;
import io.gangway.model.RouteAction;
import io.gangway.model.VirtualHost;
import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.EndpointSet;
import io.gangway.spi.route.SourceRef;
import io.gangway.xds.ListenerSettings;
import io.gangway.xds.XdsResources;
import io.gangway.xds.XdsTranslator;
import io.gangway.xds.feature.Features;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Resource sets built by the real translator, so the tests see what the pipeline publishes. */
final class XdsFixtures {

  static final XdsTranslator TRANSLATOR =
      new XdsTranslator(
          List.of(ListenerSettings.defaults("0.0.0.0", 8080)),
          Features.defaults(),
          Duration.ofSeconds(5));

  private XdsFixtures() {}

  /** One host with one prefix route at {@code path} to a.static:80. */
  static GatewayModel model(String path) {
    ClusterSpec a = ClusterSpec.of("a.static", 80);
    return new GatewayModel(
        List.of(
            new VirtualHost(
                "www.example.com",
                List.of(
                    new Route(
                        "r:" + path,
                        PathMatch.prefix(path),
                        RouteAction.forward(a.name()),
                        SourceRef.file("routes.yaml"))))),
        List.of(a),
        List.of());
  }

  static Map<String, EndpointSet> endpoints(String... addresses) {
    return Map.of(
        "a.static",
        new EndpointSet(
            "a.static", Arrays.stream(addresses).map(x -> Endpoint.of(x, 8001)).toList()));
  }

  static XdsResources resources(String path, String... addresses) {
    return TRANSLATOR.translate(model(path), endpoints(addresses));
  }

  /**
   * One host whose routes go, by path, to the named static hosts (all on port 80, one endpoint
   * each).
   */
  static XdsResources routesTo(Map<String, String> pathToHost) {
    List<Route> routes = new java.util.ArrayList<>();
    java.util.Set<ClusterSpec> clusters = new java.util.LinkedHashSet<>();
    Map<String, EndpointSet> endpoints = new java.util.HashMap<>();
    new java.util.TreeMap<>(pathToHost)
        .forEach(
            (path, host) -> {
              ClusterSpec c = ClusterSpec.of(host, 80);
              clusters.add(c);
              endpoints.put(host, new EndpointSet(host, List.of(Endpoint.of("127.0.0.1", 8001))));
              routes.add(
                  new Route(
                      "r:" + path,
                      PathMatch.prefix(path),
                      RouteAction.forward(c.name()),
                      SourceRef.file("routes.yaml")));
            });
    GatewayModel m =
        new GatewayModel(
            List.of(new VirtualHost("www.example.com", routes)), List.copyOf(clusters), List.of());
    return TRANSLATOR.translate(m, endpoints);
  }
}
