package io.gangway.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gangway.spi.route.SourceRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The IR records validate and copy, so a model compares as a whole value and cannot change later.
 */
class ModelRecordsTest {

  @Test
  void destination_weightOutOfRange_isRejected() {
    assertThatThrownBy(() -> new Destination("c", 101)).hasMessage("weight: 101 (expected: 0-100)");
    assertThatThrownBy(() -> new Destination("c", -1)).hasMessage("weight: -1 (expected: 0-100)");
    assertThat(new Destination("c", 0).weight()).isZero();
  }

  @Test
  void forward_noDestination_isRejected() {
    assertThatThrownBy(() -> new RouteAction.Forward(List.of()))
        .hasMessage("destinations: [] (expected: at least one)");
  }

  @Test
  void clusterSpec_of_usesTheIstioName() {
    assertThat(ClusterSpec.of("echo.static", 80))
        .isEqualTo(
            new ClusterSpec("outbound|80||echo.static", "echo.static", 80, UpstreamProtocol.HTTP));
    assertThat(ClusterSpec.of("svc.DEFAULT-GROUP.public.nacos", 0).name())
        .isEqualTo("outbound|0||svc.DEFAULT-GROUP.public.nacos");
  }

  @Test
  void gatewayModel_copiesItsLists() {
    List<VirtualHost> hosts = new ArrayList<>();
    GatewayModel m = new GatewayModel(hosts, List.of(), List.of());
    hosts.add(new VirtualHost("*", List.of()));
    assertThat(m.virtualHosts()).isEmpty();
    assertThat(m).isEqualTo(GatewayModel.empty());
  }

  @Test
  void equalModels_builtSeparately_areEqual() {
    assertThat(model("a.static")).isEqualTo(model("a.static")).hasSameHashCodeAs(model("a.static"));
    assertThat(model("a.static")).isNotEqualTo(model("b.static"));
  }

  @Test
  void certificate_toString_redactsThePrivateKey() {
    Certificate c =
        new Certificate(
            "secret:default/a",
            "-----BEGIN CERTIFICATE-----\nAAAA\n",
            "-----BEGIN PRIVATE KEY-----\nSECRETSECRET\n-----END PRIVATE KEY-----\n",
            SourceRef.file("x.yaml"));
    assertThat(c.toString())
        .contains("secret:default/a", "privateKey=[redacted]")
        .doesNotContain("SECRETSECRET");
    GatewayModel m =
        new GatewayModel(
            List.of(), List.of(), List.of(), List.of(c), List.of(new TlsBinding("*", c.name())));
    assertThat(m.toString()).doesNotContain("SECRETSECRET");
  }

  @Test
  void gatewayModel_bindingToUnknownCertificate_isRejected() {
    assertThatThrownBy(
            () ->
                new GatewayModel(
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(new TlsBinding("a.example.com", "secret:default/gone"))))
        .hasMessageContaining("tls: host a.example.com uses certificate secret:default/gone");
  }

  @Test
  void withFallbackTls_addsOnlyUnboundHosts() {
    Certificate secret = cert("secret:default/a");
    Certificate file = cert("file:certs/a.crt");
    Certificate fallbackDefault = cert("file:certs/default.crt");
    GatewayModel m =
        new GatewayModel(
            List.of(),
            List.of(),
            List.of(),
            List.of(secret),
            List.of(new TlsBinding("a.example.com", secret.name())));
    GatewayModel merged =
        m.withFallbackTls(
            List.of(file, fallbackDefault),
            List.of(
                new TlsBinding("a.example.com", file.name()),
                new TlsBinding("b.example.com", file.name()),
                new TlsBinding("*", fallbackDefault.name())));
    assertThat(merged.tls())
        .containsExactly(
            new TlsBinding("*", fallbackDefault.name()),
            new TlsBinding("a.example.com", secret.name()),
            new TlsBinding("b.example.com", file.name()));
    assertThat(merged.certificates()).containsExactly(file, fallbackDefault, secret);
    assertThat(m.withFallbackTls(List.of(), List.of())).isSameAs(m);
  }

  @Test
  void route_fourArgumentConstructor_hasNoPoliciesAndMatchesThePathAlone() {
    Route r = new Route("r", PathMatch.prefix("/"), RouteAction.forward("c"), SourceRef.file("x"));
    assertThat(r.policies().isEmpty()).isTrue();
    assertThat(r.match().pathOnly()).isTrue();
    assertThat(r.match().isCatchAll()).isTrue();
  }

  private static Certificate cert(String name) {
    return new Certificate(name, "chain", "key", SourceRef.file("x"));
  }

  private static GatewayModel model(String host) {
    ClusterSpec c = ClusterSpec.of(host, 80);
    Route r =
        new Route(
            "default/x/*/prefix:/",
            PathMatch.prefix("/"),
            RouteAction.forward(c.name()),
            SourceRef.file("x.yaml"));
    return new GatewayModel(List.of(new VirtualHost("*", List.of(r))), List.of(c), List.of());
  }
}
