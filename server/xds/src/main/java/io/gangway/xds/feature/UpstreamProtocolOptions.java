package io.gangway.xds.feature;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.gangway.model.ClusterSpec;
import io.gangway.model.UpstreamProtocol;
import io.gangway.spi.registry.EndpointSet;
import io.gangway.xds.XdsContext;
import io.gangway.xds.XdsFeature;

/**
 * {@code UpstreamProtocolOptions} makes a cluster speak its {@link UpstreamProtocol}: HTTP/2 (gRPC,
 * h2c) through explicit HTTP/2 protocol options, and TLS through an upstream TLS transport socket
 * offering ALPN {@code h2} or {@code http/1.1}. As in Higress, the upstream certificate is not
 * verified (no trusted CA is configured for registry-discovered instances).
 *
 * <p>A cluster whose routes asked for no particular protocol takes it from its instances' {@code
 * protocol} metadata (first instance, as Higress), so a gRPC or HTTP/2 service registered with that
 * metadata is proxied over HTTP/2 without an annotation. An explicit backend-protocol or registry
 * {@code protocol} other than HTTP wins. Clusters are rebuilt when endpoints change, so this
 * follows the registry.
 */
final class UpstreamProtocolOptions implements XdsFeature {

  static final String HTTP_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  @Override
  public void patchCluster(Cluster.Builder cluster, ClusterSpec spec, XdsContext context) {
    UpstreamProtocol p = effectiveProtocol(spec, context.endpoints().get(spec.serviceHost()));
    if (p.http2()) {
      cluster.putTypedExtensionProtocolOptions(
          HTTP_OPTIONS,
          Any.pack(
              HttpProtocolOptions.newBuilder()
                  .setExplicitHttpConfig(
                      HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                          .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
                  .build()));
    }
    if (p.tls()) {
      UpstreamTlsContext tls =
          UpstreamTlsContext.newBuilder()
              .setCommonTlsContext(
                  CommonTlsContext.newBuilder().addAlpnProtocols(p.http2() ? "h2" : "http/1.1"))
              .build();
      cluster.setTransportSocket(
          TransportSocket.newBuilder()
              .setName("envoy.transport_sockets.tls")
              .setTypedConfig(Any.pack(tls)));
    }
  }

  /**
   * Returns the protocol {@code spec} speaks given its instances {@code set} (may be {@code null}).
   */
  static UpstreamProtocol effectiveProtocol(ClusterSpec spec, EndpointSet set) {
    if (spec.protocol() != UpstreamProtocol.HTTP || set == null || set.endpoints().isEmpty()) {
      return spec.protocol();
    }
    String declared = set.endpoints().get(0).metadata().get("protocol");
    return declared == null
        ? spec.protocol()
        : UpstreamProtocol.parse(declared).orElse(spec.protocol());
  }
}
