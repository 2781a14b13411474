package io.gangway.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.gangway.model.Certificate;
import io.gangway.model.ClusterSpec;
import io.gangway.model.GatewayModel;
import io.gangway.model.PathMatch;
import io.gangway.model.Route;
import io.gangway.model.RouteAction;
import io.gangway.model.RouteMatch;
import io.gangway.model.TlsBinding;
import io.gangway.model.policy.DownstreamTls;
import io.gangway.model.policy.Policies;
import io.gangway.model.policy.TrustedCa;
import io.gangway.model.policy.UpstreamTls;
import io.gangway.spi.route.SourceRef;
import io.gangway.xds.feature.Features;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Upstream and downstream TLS policies in the cases the golden files cannot hold (they need a
 * Secret that is missing when translating, an error): failed policies fail closed, and a downstream
 * policy change touches only its host's filter chain.
 */
class TlsPolicyTest {

  private static final SourceRef SRC = SourceRef.file("routes.yaml");
  private static final ListenerSettings HTTP = ListenerSettings.defaults("0.0.0.0", 8080);
  private static final XdsTranslator TRANSLATOR =
      new XdsTranslator(
          List.of(HTTP, HTTP.asTls("0.0.0.0", 8443)), Features.defaults(), Duration.ofSeconds(5));
  private static final Certificate CERT =
      new Certificate(
          "secret:default/wild",
          XdsGoldenTest.read(XdsGoldenTest.FIXTURES.resolve("test-wildcard.crt")),
          XdsGoldenTest.read(XdsGoldenTest.FIXTURES.resolve("test-wildcard.key")),
          SRC);
  private static final TrustedCa CA =
      new TrustedCa(
          "ca:default/wild-cacert",
          XdsGoldenTest.read(XdsGoldenTest.FIXTURES.resolve("test-ca.crt")));

  private static GatewayModel model(UpstreamTls upstream, DownstreamTls x) {
    ClusterSpec c = ClusterSpec.of("a.static", 80).withPolicies(Policies.of(upstream));
    List<io.gangway.model.VirtualHost> hosts =
        List.of(
            new io.gangway.model.VirtualHost(
                "x.example.com", List.of(route("x.example.com", c)), Policies.of(x)),
            new io.gangway.model.VirtualHost("y.example.com", List.of(route("y.example.com", c))));
    return new GatewayModel(
        hosts,
        List.of(c),
        List.of(),
        List.of(CERT),
        List.of(
            new TlsBinding("x.example.com", CERT.name()),
            new TlsBinding("y.example.com", CERT.name())));
  }

  private static Route route(String host, ClusterSpec c) {
    return new Route(
        host + "/",
        RouteMatch.of(PathMatch.prefix("/")),
        RouteAction.forward(c.name()),
        SRC,
        Policies.none());
  }

  private static UpstreamTls upstream(String problem) {
    return new UpstreamTls(
        "default/client", Optional.of(CERT), Optional.empty(), false, "", false, problem);
  }

  private static DownstreamTls mutual(String problem) {
    return new DownstreamTls(
        "default/wild-cacert",
        problem.isEmpty() ? Optional.of(CA) : Optional.empty(),
        List.of(),
        "",
        "",
        problem);
  }

  @Test
  void aFailedUpstreamPolicy_leavesTheClusterWithoutEndpoints_andServesNoSecretForIt() {
    XdsResources x =
        TRANSLATOR.translate(
            model(upstream("Secret default/client not found"), mutual("")), Map.of());
    Cluster c = x.clusters().get(0);
    assertThat(c.getType()).isEqualTo(Cluster.DiscoveryType.STATIC);
    assertThat(c.getLoadAssignment().getEndpointsCount()).isZero();
    assertThat(c.hasTransportSocket()).isFalse();
    assertThat(Consistency.problems(x)).isEmpty();

    XdsResources ok = TRANSLATOR.translate(model(upstream(""), mutual("")), Map.of());
    assertThat(ok.clusters().get(0).getType()).isEqualTo(Cluster.DiscoveryType.EDS);
    assertThat(ok.clusters().get(0).hasTransportSocket())
        .as("a client certificate turns TLS on")
        .isTrue();
  }

  @Test
  void aHostWhoseClientCaIsMissing_answers403ToEverything_onEveryListener() {
    XdsResources x = TRANSLATOR.translate(model(upstream(""), mutual("no CA Secret")), Map.of());
    for (var rc : x.routes()) {
      VirtualHost vh =
          rc.getVirtualHostsList().stream()
              .filter(v -> v.getName().equals("x.example.com"))
              .findFirst()
              .orElseThrow();
      assertThat(vh.getRoutesList())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.getDirectResponse().getStatus()).isEqualTo(403);
                assertThat(r.getMatch().getPrefix()).isEqualTo("/");
              });
    }
    assertThat(x.secrets().stream().map(Secret::getName)).doesNotContain(CA.name());
  }

  @Test
  void aDownstreamPolicyChange_changesOnlyItsHostsFilterChain() {
    FilterChain before =
        chain(TRANSLATOR.translate(model(upstream(""), mutual("")), Map.of()), "y.example.com");
    DownstreamTls ciphers =
        new DownstreamTls(
            "", Optional.empty(), List.of("ECDHE-ECDSA-AES128-GCM-SHA256"), "", "TLSv1.2", "");
    XdsResources after = TRANSLATOR.translate(model(upstream(""), ciphers), Map.of());
    assertThat(chain(after, "y.example.com"))
        .as("the other host's chain is byte-identical")
        .isEqualTo(before);
    assertThat(chain(after, "x.example.com").getName())
        .isEqualTo("secret:default/wild|x.example.com");
  }

  @Test
  void policiesPrint_withoutKeyMaterial() {
    String text = model(upstream(""), mutual("")).toString();
    assertThat(text)
        .doesNotContain("PRIVATE KEY")
        .doesNotContain("BEGIN CERTIFICATE")
        .contains("UpstreamTls[")
        .contains("clientCertificate=secret:default/wild");
  }

  private static FilterChain chain(XdsResources x, String host) {
    return x.listeners().stream()
        .filter(l -> l.getName().startsWith("https"))
        .findFirst()
        .orElseThrow()
        .getFilterChainsList()
        .stream()
        .filter(c -> c.getFilterChainMatch().getServerNamesList().contains(host))
        .findFirst()
        .orElseThrow();
  }
}
