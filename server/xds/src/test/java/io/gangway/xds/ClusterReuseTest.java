package io.gangway.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.gangway.model.ClusterSpec;
import io.gangway.model.GatewayModel;
import io.gangway.model.UpstreamProtocol;
import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.EndpointSet;
import io.gangway.xds.feature.Features;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The translator reuses the clusters it built last time when their spec and their service's
 * endpoints are unchanged (a route edit among 5,000 services rebuilds none); a changed spec or
 * endpoint set rebuilds that cluster, and the output is what a fresh translator builds.
 */
class ClusterReuseTest {

  private static final ClusterSpec A = ClusterSpec.of("a.static", 80);
  private static final ClusterSpec B = ClusterSpec.of("b.static", 80);

  private static XdsTranslator translator() {
    return new XdsTranslator(
        List.of(ListenerSettings.defaults("127.0.0.1", 8080)),
        Features.defaults(),
        Duration.ofSeconds(5));
  }

  private static EndpointSet set(ClusterSpec spec, String protocol) {
    Map<String, String> md = protocol == null ? Map.of() : Map.of("protocol", protocol);
    return new EndpointSet(spec.serviceHost(), List.of(new Endpoint("10.0.0.1", 9000, 1, md)));
  }

  private static List<Cluster> clusters(
      XdsTranslator t, ClusterSpec b, Map<String, EndpointSet> endpoints) {
    return t.clusters(new GatewayModel(List.of(), List.of(A, b), List.of()), endpoints);
  }

  @Test
  void clusters_unchangedSpecAndEndpoints_reused_changedOnesRebuilt() {
    XdsTranslator t = translator();
    Map<String, EndpointSet> http =
        Map.of(A.serviceHost(), set(A, null), B.serviceHost(), set(B, null));
    List<Cluster> first = clusters(t, B, http);
    List<Cluster> same = clusters(t, B, http);
    assertThat(same.get(0)).isSameAs(first.get(0));
    assertThat(same.get(1)).isSameAs(first.get(1));

    // B's instances now say grpc: B is rebuilt as HTTP/2, A is kept.
    Map<String, EndpointSet> grpc =
        Map.of(A.serviceHost(), set(A, null), B.serviceHost(), set(B, "grpc"));
    List<Cluster> protocol = clusters(t, B, grpc);
    assertThat(protocol.get(0)).isSameAs(first.get(0));
    assertThat(protocol.get(1))
        .isNotSameAs(first.get(1))
        .isEqualTo(clusters(translator(), B, grpc).get(1));
    assertThat(protocol.get(1)).isNotEqualTo(first.get(1));

    // B's spec changes (explicit HTTPS): rebuilt; and back to the start equals a fresh translation.
    ClusterSpec tls = ClusterSpec.of("b.static", 80, UpstreamProtocol.HTTPS);
    List<Cluster> spec = clusters(t, tls, grpc);
    assertThat(spec.get(1).hasTransportSocket()).isTrue();
    assertThat(clusters(t, B, http)).isEqualTo(clusters(translator(), B, http));
  }
}
