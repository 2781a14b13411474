package io.gangway.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.gangway.model.ClusterSpec;
import io.gangway.model.GatewayModel;
import io.gangway.model.PathMatch;
import io.gangway.model.Route;
import io.gangway.model.RouteAction;
import io.gangway.model.VirtualHost;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.route.SourceRef;
import io.gangway.xds.feature.Features;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The translator reuses the virtual hosts it built last time when their model is unchanged, so an
 * edit of one host among many rebuilds that host only; the output must be what a fresh translator
 * builds.
 */
class VirtualHostReuseTest {

  private static final SourceRef SRC = SourceRef.file("routes.yaml");
  private static final ClusterSpec A = ClusterSpec.of("a.static", 80);

  private static XdsTranslator translator() {
    return new XdsTranslator(
        List.of(ListenerSettings.defaults("127.0.0.1", 8080)),
        Features.defaults(),
        Duration.ofSeconds(5));
  }

  private static GatewayModel model(String secondPath) {
    return new GatewayModel(
        List.of(
            new VirtualHost(
                "a.example.com",
                List.of(
                    new Route("a1", PathMatch.prefix("/a"), RouteAction.forward(A.name()), SRC))),
            new VirtualHost(
                "b.example.com",
                List.of(
                    new Route(
                        "b1", PathMatch.exact(secondPath), RouteAction.forward(A.name()), SRC)))),
        List.of(A),
        List.of(new RegistryConfig("static", "a", Map.of())));
  }

  private static RouteConfiguration routes(XdsTranslator t, GatewayModel m) {
    return t.translate(m, Map.of()).routes().get(0);
  }

  @Test
  void translate_unchangedHost_reusesItsVirtualHost_changedHostIsRebuilt() {
    XdsTranslator t = translator();
    RouteConfiguration first = routes(t, model("/b"));
    RouteConfiguration second = routes(t, model("/b2"));

    assertThat(second.getVirtualHosts(0)).isSameAs(first.getVirtualHosts(0));
    assertThat(second.getVirtualHosts(1)).isNotSameAs(first.getVirtualHosts(1));
    assertThat(second.getVirtualHosts(1).getRoutes(0).getMatch().getPath()).isEqualTo("/b2");
  }

  @Test
  void translate_afterEdits_equalsAFreshTranslation() {
    XdsTranslator t = translator();
    routes(t, model("/b"));
    routes(t, model("/b2"));
    RouteConfiguration back = routes(t, model("/b"));

    assertThat(back).isEqualTo(routes(translator(), model("/b")));
  }
}
