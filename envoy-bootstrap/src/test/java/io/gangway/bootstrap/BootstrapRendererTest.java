package io.gangway.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.gangway.testing.GoldenFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class BootstrapRendererTest {

  /**
   * Golden cases: each {@code golden/<case>.in.yaml} holds one spec as {@code key: value} lines;
   * the output is the rendered bootstrap JSON.
   */
  @TestFactory
  Stream<DynamicTest> golden() {
    return GoldenFiles.cases(
        GoldenFiles.sourceDir("golden"),
        in -> Map.of("bootstrap", BootstrapRenderer.renderJson(spec(in))));
  }

  @Test
  void spec_publicAdminAddress_isRefused() {
    assertThatThrownBy(
            () ->
                new BootstrapSpec(
                    "n", "c", "127.0.0.1", 15010, "0.0.0.0", 15000, true, 100, "127.0.0.1", 15090))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("envoy.admin.address: 0.0.0.0")
        .hasMessageContaining("loopback");
    assertThatThrownBy(
            () ->
                new BootstrapSpec(
                    "n", "c", "127.0.0.1", 15010, "10.1.2.3", 15000, true, 100, "127.0.0.1", 15090))
        .hasMessageContaining("loopback");
  }

  @Test
  void render_deltaFlag_selectsTheAdsProtocol() {
    Bootstrap delta =
        BootstrapRenderer.render(
            new BootstrapSpec("n", "c", "127.0.0.1", 1, "::1", 2, true, 10, "127.0.0.1", 3));
    Bootstrap sotw =
        BootstrapRenderer.render(
            new BootstrapSpec("n", "c", "127.0.0.1", 1, "127.0.0.1", 2, false, 10, "0.0.0.0", 3));
    assertThat(delta.getDynamicResources().getAdsConfig().getApiType())
        .isEqualTo(ApiConfigSource.ApiType.DELTA_GRPC);
    assertThat(sotw.getDynamicResources().getAdsConfig().getApiType())
        .isEqualTo(ApiConfigSource.ApiType.GRPC);
    assertThat(delta.getStaticResources().getClustersList())
        .extracting(c -> c.getName())
        .containsExactly(BootstrapRenderer.XDS_CLUSTER, BootstrapRenderer.ADMIN_CLUSTER);
  }

  @Test
  void statsListener_forwardsOnlyGetStatsPrometheus_toTheAdminCluster_and404sTheRest()
      throws Exception {
    Bootstrap b =
        BootstrapRenderer.render(
            new BootstrapSpec("n", "c", "127.0.0.1", 1, "127.0.0.1", 2, true, 10, "0.0.0.0", 3));
    assertThat(b.getStaticResources().getListenersList()).hasSize(1);
    var listener = b.getStaticResources().getListeners(0);
    assertThat(listener.getAddress().getSocketAddress().getAddress()).isEqualTo("0.0.0.0");
    assertThat(listener.getAddress().getSocketAddress().getPortValue()).isEqualTo(3);
    var hcm =
        listener
            .getFilterChains(0)
            .getFilters(0)
            .getTypedConfig()
            .unpack(
                io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3
                    .HttpConnectionManager.class);
    var routes = hcm.getRouteConfig().getVirtualHosts(0).getRoutesList();
    assertThat(routes).hasSize(2);
    assertThat(routes.get(0).getMatch().getPath()).isEqualTo("/stats/prometheus");
    assertThat(routes.get(0).getMatch().getHeaders(0).getStringMatch().getExact()).isEqualTo("GET");
    assertThat(routes.get(0).getRoute().getCluster()).isEqualTo(BootstrapRenderer.ADMIN_CLUSTER);
    assertThat(routes.get(1).getMatch().getPrefix()).isEqualTo("/");
    assertThat(routes.get(1).getDirectResponse().getStatus()).isEqualTo(404);
    var admin = b.getStaticResources().getClusters(1).getLoadAssignment().getEndpoints(0);
    assertThat(admin.getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress().getPortValue())
        .isEqualTo(2);
  }

  @Test
  void statsMatcher_keepsClusterRequestStats_butNoRouteOrExternalCopies() {
    java.util.function.Predicate<String> kept =
        name ->
            BootstrapRenderer.STATS_INCLUSIONS.stream()
                .anyMatch(
                    m ->
                        m.hasPrefix()
                            ? name.startsWith(m.getPrefix())
                            : java.util.regex.Pattern.compile(m.getSafeRegex().getRegex())
                                .matcher(name)
                                .matches());
    assertThat(
            Stream.of(
                "server.uptime",
                "control_plane.connected_state",
                "http.http.8080.downstream_rq_5xx",
                "http.http.8080.downstream_cx_active",
                "http.https.8443.downstream_cx_active",
                "http.gangway_stats.downstream_rq_2xx",
                "http.http.8080.rds.http.8080.config_reload",
                "http.http.8080.route_local_rate_limit.rate_limited",
                "cluster.outbound|80||a.static.upstream_rq_per_try_timeout",
                "cluster.outbound|80||a.static.upstream_rq_total",
                "cluster.outbound|80||a.static.upstream_rq_2xx",
                "cluster.outbound|80||a.svc.cluster.local.upstream_rq_time",
                "cluster.outbound|80||a.static.outlier_detection.ejections_active",
                "cluster.fallback|outbound|80||a.static|outbound|80||b.static.membership_healthy"))
        .allMatch(kept);
    assertThat(
            Stream.of(
                "cluster.outbound|80||a.static.external.upstream_rq_2xx",
                "cluster.outbound|80||a.static.internal.upstream_rq_time",
                "cluster.outbound|80||a.static.upstream_rq_200",
                "cluster.outbound|80||a.static.upstream_cx_total",
                "vhost.a.test.vcluster.other.upstream_rq_total",
                "http.gangway_stats.downstream_cx_active",
                "listener.127.0.0.1_8080.downstream_cx_total"))
        .noneMatch(kept);
  }

  private static BootstrapSpec spec(Path in) {
    Map<String, String> kv = new java.util.HashMap<>();
    try {
      for (String line : Files.readAllLines(in)) {
        if (!line.startsWith("#") && line.contains(":")) {
          kv.put(
              line.substring(0, line.indexOf(':')).trim(),
              line.substring(line.indexOf(':') + 1).trim());
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return new BootstrapSpec(
        kv.get("nodeId"),
        kv.get("nodeCluster"),
        kv.get("xdsAddress"),
        Integer.parseInt(kv.get("xdsPort")),
        kv.get("adminAddress"),
        Integer.parseInt(kv.get("adminPort")),
        Boolean.parseBoolean(kv.get("delta")),
        Integer.parseInt(kv.get("maxDownstreamConnections")),
        kv.get("statsAddress"),
        Integer.parseInt(kv.get("statsPort")));
  }
}
