package io.gangway.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.gangway.model.Certificate;
import io.gangway.model.ClusterSpec;
import io.gangway.model.GatewayModel;
import io.gangway.model.PathMatch;
import io.gangway.model.Route;
import io.gangway.model.RouteAction;
import io.gangway.model.RouteMatch;
import io.gangway.model.TlsBinding;
import io.gangway.model.VirtualHost;
import io.gangway.model.policy.HttpsRedirect;
import io.gangway.model.policy.Policies;
import io.gangway.spi.route.SourceRef;
import io.gangway.xds.feature.Features;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * TLS properties the golden files cannot show on their own: a certificate rotation changes one SDS
 * secret and nothing else (so Envoy drains nothing), every reference is checked by the consistency
 * check, and no printout ever holds a private key.
 */
class TlsTranslationTest {

  private static final SourceRef SRC = SourceRef.file("routes.yaml");
  private static final ListenerSettings HTTP = ListenerSettings.defaults("0.0.0.0", 8080);
  private static final XdsTranslator TRANSLATOR =
      new XdsTranslator(
          List.of(HTTP, HTTP.asTls("0.0.0.0", 8443)), Features.defaults(), Duration.ofSeconds(5));

  private static Certificate fixture(String name, String fixture) {
    return new Certificate(
        name,
        XdsGoldenTest.read(XdsGoldenTest.FIXTURES.resolve("test-" + fixture + ".crt")),
        XdsGoldenTest.read(XdsGoldenTest.FIXTURES.resolve("test-" + fixture + ".key")),
        SRC);
  }

  /**
   * a.example.com with its own certificate ({@code aFixture}), b.example.com on the default one.
   */
  private static GatewayModel model(String aFixture, String... extraHosts) {
    ClusterSpec c = ClusterSpec.of("a.static", 80);
    List<VirtualHost> hosts = new ArrayList<>();
    for (String h :
        Stream.concat(Stream.of("a.example.com", "b.example.com"), Stream.of(extraHosts))
            .toList()) {
      hosts.add(
          new VirtualHost(
              h,
              List.of(
                  new Route(
                      h + "/",
                      RouteMatch.of(PathMatch.prefix("/")),
                      RouteAction.forward(c.name()),
                      SRC,
                      Policies.of(new HttpsRedirect())))));
    }
    Certificate a = fixture("secret:default/a-tls", aFixture);
    Certificate d = fixture("file:default.crt", "default");
    List<TlsBinding> bindings =
        new ArrayList<>(
            List.of(new TlsBinding("*", d.name()), new TlsBinding("a.example.com", a.name())));
    for (String h : extraHosts) {
      bindings.add(new TlsBinding(h, a.name()));
    }
    return new GatewayModel(hosts, List.of(c), List.of(), List.of(d, a), bindings);
  }

  @Test
  void translate_rotatedCertificate_changesOnlyItsSecret() {
    XdsResources before = TRANSLATOR.translate(model("a"), Map.of());
    XdsResources after = TRANSLATOR.translate(model("a-rotated"), Map.of());

    assertThat(after.secrets()).hasSize(2);
    assertThat(after.secrets().get(1).getName()).isEqualTo("secret:default/a-tls");
    assertThat(after.secrets().get(1)).isNotEqualTo(before.secrets().get(1));
    assertThat(after.secrets().get(0)).isEqualTo(before.secrets().get(0));
    // Byte-identical listeners: Envoy neither drains nor even re-creates a filter chain.
    assertThat(after.listeners())
        .extracting(Listener::getName)
        .containsExactly("http.8080", "https.8443");
    for (int i = 0; i < after.listeners().size(); i++) {
      assertThat(after.listeners().get(i).toByteArray())
          .isEqualTo(before.listeners().get(i).toByteArray());
    }
    assertThat(after.routes()).isEqualTo(before.routes());
    assertThat(after.clusters()).isEqualTo(before.clusters());
  }

  @Test
  void translate_newTlsHost_changesOnlyTheTlsListener() {
    XdsResources before = TRANSLATOR.translate(model("a"), Map.of());
    XdsResources after = TRANSLATOR.translate(model("a", "c.example.com"), Map.of());
    assertThat(after.listeners().get(0).toByteArray())
        .isEqualTo(before.listeners().get(0).toByteArray());
    assertThat(after.listeners().get(1)).isNotEqualTo(before.listeners().get(1));
    assertThat(
            after.listeners().get(1).getFilterChains(0).getFilterChainMatch().getServerNamesList())
        .containsExactly("a.example.com", "c.example.com");
  }

  @Test
  void translate_redirectRoute_redirectsOnlyOnThePlainTable() {
    XdsResources r = TRANSLATOR.translate(model("a"), Map.of());
    var plain = r.routes().get(0).getVirtualHosts(0).getRoutes(0);
    var tls = r.routes().get(1).getVirtualHosts(0).getRoutes(0);
    assertThat(r.routes().get(1).getName()).isEqualTo("https.8443");
    assertThat(plain.hasRedirect()).isTrue();
    assertThat(plain.getRedirect().getPortRedirect()).isEqualTo(8443);
    assertThat(tls.hasRoute()).isTrue();
  }

  @Test
  void translate_noTlsListener_servesNoSecret() {
    XdsTranslator plainOnly =
        new XdsTranslator(List.of(HTTP), Features.defaults(), Duration.ofSeconds(5));
    XdsResources r = plainOnly.translate(model("a"), Map.of());
    assertThat(r.secrets()).isEmpty();
    assertThat(r.listeners()).extracting(Listener::getName).containsExactly("http.8080");
    assertThat(Consistency.problems(r)).isEmpty();
  }

  @Test
  void problems_chainNamingMissingSecret_isFound() {
    XdsResources r = TRANSLATOR.translate(model("a"), Map.of());
    assertThat(Consistency.problems(r)).isEmpty();
    XdsResources missing =
        new XdsResources(
            r.listeners(), r.routes(), r.clusters(), r.endpoints(), List.of(r.secrets().get(0)));
    assertThat(Consistency.problems(missing))
        .containsExactly("listener https.8443 needs missing secret secret:default/a-tls");
    List<Secret> twice = new ArrayList<>(r.secrets());
    twice.add(r.secrets().get(0));
    assertThat(
            Consistency.problems(
                new XdsResources(r.listeners(), r.routes(), r.clusters(), r.endpoints(), twice)))
        .containsExactly("duplicate secret file:default.crt");
  }

  @Test
  void printer_secret_neverShowsThePrivateKey() {
    XdsResources r = TRANSLATOR.translate(model("a"), Map.of());
    String key = XdsGoldenTest.read(XdsGoldenTest.FIXTURES.resolve("test-a.key"));
    String keyLine = key.lines().skip(1).findFirst().orElseThrow();
    assertThat(r.secrets().get(1).getTlsCertificate().getPrivateKey().getInlineString())
        .isEqualTo(key);
    for (String printed :
        List.of(
            XdsPrinter.yaml(r.secrets()),
            XdsPrinter.json(r.secrets().get(1)),
            r.toString(),
            model("a").toString())) {
      assertThat(printed).doesNotContain(keyLine).doesNotContain("PRIVATE KEY");
    }
    assertThat(XdsPrinter.yaml(r.secrets())).contains("[redacted]", "BEGIN CERTIFICATE");
  }

  @Test
  void goldenOutputs_neverHoldAPrivateKey() throws IOException {
    for (String dir :
        List.of("src/test/resources/golden", "../ingress/src/test/resources/golden")) {
      try (Stream<Path> files = Files.list(Path.of(dir))) {
        for (Path out : files.filter(p -> !p.toString().endsWith(".in.yaml")).toList()) {
          assertThat(Files.readString(out))
              .as(out.toString())
              .doesNotContain("PRIVATE KEY")
              .doesNotContain("LS0tLS1CRUdJTi");
        }
      }
    }
  }
}
