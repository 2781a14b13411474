package io.gangway.xds.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.type.v3.CodecClientType;
import io.gangway.model.ClusterSpec;
import io.gangway.model.GatewayModel;
import io.gangway.model.UpstreamProtocol;
import io.gangway.xds.UpstreamDefaults;
import io.gangway.xds.XdsContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActiveHealthChecksTest {

  private static UpstreamDefaults.HealthCheck check(String hosts) {
    return new UpstreamDefaults.HealthCheck(
        hosts, "/healthz", Duration.ofSeconds(5), Duration.ofSeconds(1), 3, 2);
  }

  private static Cluster patched(UpstreamDefaults d, ClusterSpec spec, Cluster.DiscoveryType type) {
    Cluster.Builder b = Cluster.newBuilder().setName(spec.name()).setType(type);
    new ActiveHealthChecks(d).patchCluster(b, spec, new XdsContext(GatewayModel.empty(), Map.of()));
    return b.build();
  }

  @Test
  void hostPatterns_matchWholeHosts_withStarForAnyCharacters() {
    assertThat(check("*.static").matches("echo.static")).isTrue();
    assertThat(check("*.static").matches("echo.static.evil")).isFalse();
    assertThat(check("orders.*.nacos").matches("orders.DEFAULT-GROUP.public.nacos")).isTrue();
    assertThat(check("orders.*.nacos").matches("payments.DEFAULT-GROUP.public.nacos")).isFalse();
    assertThat(check("a.b").matches("aXb")).as("a dot is a dot, not a regex").isFalse();
    assertThat(check("*").matches("anything.consul")).isTrue();
  }

  @Test
  void theFirstMatchingCheck_isAdded_speakingTheClustersProtocol() {
    UpstreamDefaults d =
        new UpstreamDefaults(
            2,
            "connect-failure",
            true,
            3,
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            50,
            List.of(check("grpc.static"), check("*.static")));
    Cluster grpc =
        patched(
            d, ClusterSpec.of("grpc.static", 80, UpstreamProtocol.GRPC), Cluster.DiscoveryType.EDS);
    assertThat(grpc.getHealthChecksList()).hasSize(1);
    assertThat(grpc.getHealthChecks(0).getHttpHealthCheck().getCodecClientType())
        .isEqualTo(CodecClientType.HTTP2);
    assertThat(grpc.getHealthChecks(0).getUnhealthyThreshold().getValue()).isEqualTo(3);

    Cluster web = patched(d, ClusterSpec.of("web.static", 80), Cluster.DiscoveryType.EDS);
    assertThat(web.getHealthChecks(0).getHttpHealthCheck().getPath()).isEqualTo("/healthz");
    assertThat(web.getHealthChecks(0).getHttpHealthCheck().getCodecClientType())
        .isEqualTo(CodecClientType.HTTP1);
    assertThat(web.getHealthChecks(0).getHttpHealthCheck().getHost())
        .as("the service host, not the cluster name Tomcat and Jetty reject with 400")
        .isEqualTo("web.static");

    assertThat(
            patched(d, ClusterSpec.of("x.consul", 80), Cluster.DiscoveryType.EDS)
                .getHealthChecksList())
        .as("no pattern matches")
        .isEmpty();
    assertThat(
            patched(d, ClusterSpec.of("web.static", 80), Cluster.DiscoveryType.STATIC)
                .getHealthChecksList())
        .as("generated non-EDS clusters are not checked")
        .isEmpty();
    assertThat(
            patched(
                    UpstreamDefaults.defaults(),
                    ClusterSpec.of("web.static", 80),
                    Cluster.DiscoveryType.EDS)
                .getHealthChecksList())
        .as("off by default")
        .isEmpty();
  }

  @Test
  void invalidChecks_areRefusedWithTheField() {
    assertThatThrownBy(
            () ->
                new UpstreamDefaults.HealthCheck(
                    "*.static", "healthz", Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 1))
        .hasMessageContaining("path");
    assertThatThrownBy(
            () ->
                new UpstreamDefaults.HealthCheck(
                    "*.static", "/h", Duration.ZERO, Duration.ofSeconds(1), 1, 1))
        .hasMessageContaining("interval");
    assertThatThrownBy(
            () ->
                new UpstreamDefaults.HealthCheck(
                    "*.static", "/h", Duration.ofSeconds(1), Duration.ofSeconds(1), 0, 1))
        .hasMessageContaining("Threshold");
  }

  @Test
  void theHostHeader_isTheServiceHost_orLocalhostWhenItIsNoValidHostName() {
    assertThat(ActiveHealthChecks.hostHeader("orders.DEFAULT-GROUP.public.nacos"))
        .isEqualTo("orders.DEFAULT-GROUP.public.nacos");
    assertThat(ActiveHealthChecks.hostHeader("providers:com.example.Greeter::.DEFAULT-GROUP"))
        .isEqualTo("localhost");
    assertThat(ActiveHealthChecks.hostHeader("outbound|80||pool.static")).isEqualTo("localhost");
  }
}
