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
import io.gangway.xds.XdsFeature;

/**
 * {@code UpstreamProtocolOptions} makes a cluster speak its {@link UpstreamProtocol}: HTTP/2 (gRPC,
 * h2c) through explicit HTTP/2 protocol options, and TLS through an upstream TLS transport socket
 * offering ALPN {@code h2} or {@code http/1.1}. As in Higress, the upstream certificate is not
 * verified (no trusted CA is configured for registry-discovered instances).
 */
final class UpstreamProtocolOptions implements XdsFeature {

  static final String HTTP_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  @Override
  public void patchCluster(Cluster.Builder cluster, ClusterSpec spec) {
    UpstreamProtocol p = spec.protocol();
    if (p.http2()) {
      cluster.putTypedExtensionProtocolOptions(HTTP_OPTIONS, Any.pack(HttpProtocolOptions.newBuilder()
          .setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
              .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
          .build()));
    }
    if (p.tls()) {
      UpstreamTlsContext tls = UpstreamTlsContext.newBuilder()
          .setCommonTlsContext(CommonTlsContext.newBuilder().addAlpnProtocols(p.http2() ? "h2" : "http/1.1"))
          .build();
      cluster.setTransportSocket(TransportSocket.newBuilder()
          .setName("envoy.transport_sockets.tls")
          .setTypedConfig(Any.pack(tls)));
    }
  }
}
