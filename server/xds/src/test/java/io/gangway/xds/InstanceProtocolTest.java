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

class InstanceProtocolTest {

  private static final XdsTranslator XDS =
      new XdsTranslator(
          List.of(ListenerSettings.defaults("0.0.0.0", 8080)),
          Features.defaults(),
          Duration.ofSeconds(5));
  private static final String H2 = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  @Test
  void clusters_instanceMetadataProtocol_makesTheClusterSpeakIt() {
    Cluster c = only(ClusterSpec.of("svc.DEFAULT-GROUP.public.nacos", 0), "grpc");
    assertThat(c.getTypedExtensionProtocolOptionsMap()).containsKey(H2);
    assertThat(c.hasTransportSocket()).isFalse();
    Cluster tri = only(ClusterSpec.of("svc.DEFAULT-GROUP.public.nacos", 0), "tri");
    assertThat(tri.getTypedExtensionProtocolOptionsMap())
        .as("Dubbo triple is gRPC")
        .containsKey(H2);
  }

  @Test
  void clusters_noOrUnknownMetadata_staysHttp1() {
    assertThat(only(ClusterSpec.of("svc.eureka", 0), null).getTypedExtensionProtocolOptionsMap())
        .isEmpty();
    assertThat(only(ClusterSpec.of("svc.eureka", 0), "dubbo").getTypedExtensionProtocolOptionsMap())
        .isEmpty();
  }

  @Test
  void clusters_explicitProtocol_winsOverInstanceMetadata() {
    Cluster c = only(ClusterSpec.of("svc.static", 80, UpstreamProtocol.HTTPS), "grpc");
    assertThat(c.getTypedExtensionProtocolOptionsMap()).doesNotContainKey(H2);
    assertThat(c.hasTransportSocket()).isTrue();
  }

  private static Cluster only(ClusterSpec spec, String protocol) {
    Map<String, String> md = protocol == null ? Map.of() : Map.of("protocol", protocol);
    EndpointSet set =
        new EndpointSet(spec.serviceHost(), List.of(new Endpoint("10.0.0.1", 9000, 1, md)));
    GatewayModel model = new GatewayModel(List.of(), List.of(spec), List.of());
    List<Cluster> cs = XDS.clusters(model, Map.of(spec.serviceHost(), set));
    assertThat(cs).hasSize(1);
    return cs.get(0);
  }
}
