package io.gangway.xds.feature;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.gangway.model.Certificate;
import io.gangway.model.ClusterSpec;
import io.gangway.model.UpstreamProtocol;
import io.gangway.model.policy.TrustedCa;
import io.gangway.model.policy.UpstreamTls;
import io.gangway.xds.XdsContext;
import io.gangway.xds.XdsFeature;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code UpstreamTlsSettings} applies a cluster's {@link UpstreamTls} policy ({@code proxy-ssl-*}):
 * it replaces the upstream TLS transport socket of {@link UpstreamProtocolOptions} with one that
 * presents the client certificate (mutual TLS), verifies the upstream certificate against the
 * trusted CA and, when a name is set, requires it among the certificate's DNS subject alternative
 * names, and sends the name as SNI when asked to. Certificate and CA travel as SDS secrets ({@code
 * secret:<ns>/<name>}, {@code ca:<ns>/<name>}), so rotating them changes SDS only. TLS is used when
 * the cluster's protocol is HTTPS or GRPCS, or when a client certificate is set (mutual TLS implies
 * TLS, as in Higress); a policy that could not be resolved fails closed: the cluster has no
 * endpoints (503).
 */
final class UpstreamTlsSettings implements XdsFeature {

  private static final ConfigSource ADS =
      ConfigSource.newBuilder()
          .setAds(AggregatedConfigSource.getDefaultInstance())
          .setResourceApiVersion(ApiVersion.V3)
          .build();

  @Override
  public void patchCluster(Cluster.Builder cluster, ClusterSpec spec, XdsContext context) {
    UpstreamTls t = spec.policies().get(UpstreamTls.class).orElse(null);
    if (t == null) {
      return;
    }
    if (t.failed()) {
      // Fail closed: never connect with weaker TLS than asked for. The (unused) EDS assignment
      // stays.
      cluster
          .clearEdsClusterConfig()
          .setType(Cluster.DiscoveryType.STATIC)
          .setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName(spec.name()));
      return;
    }
    UpstreamProtocol p =
        UpstreamProtocolOptions.effectiveProtocol(
            spec, context.endpoints().get(spec.serviceHost()));
    if (!p.tls() && t.clientCertificate().isEmpty()) {
      return; // plain text: proxy-ssl-verify/-name alone do not turn TLS on
    }
    CommonTlsContext.Builder common =
        CommonTlsContext.newBuilder().addAlpnProtocols(p.http2() ? "h2" : "http/1.1");
    t.clientCertificate().ifPresent(c -> common.addTlsCertificateSdsSecretConfigs(sds(c.name())));
    if (t.verify() && t.trustedCa().isPresent()) {
      if (t.serverName().isEmpty()) {
        common.setValidationContextSdsSecretConfig(sds(t.trustedCa().get().name()));
      } else {
        common.setCombinedValidationContext(
            CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                .setDefaultValidationContext(
                    CertificateValidationContext.newBuilder()
                        .addMatchTypedSubjectAltNames(
                            SubjectAltNameMatcher.newBuilder()
                                .setSanType(SubjectAltNameMatcher.SanType.DNS)
                                .setMatcher(StringMatcher.newBuilder().setExact(t.serverName()))))
                .setValidationContextSdsSecretConfig(sds(t.trustedCa().get().name())));
      }
    }
    UpstreamTlsContext.Builder tls = UpstreamTlsContext.newBuilder().setCommonTlsContext(common);
    if (t.sendServerName()) {
      tls.setSni(t.serverName());
    }
    cluster.setTransportSocket(
        TransportSocket.newBuilder()
            .setName("envoy.transport_sockets.tls")
            .setTypedConfig(Any.pack(tls.build())));
  }

  @Override
  public List<Secret> extraSecrets(XdsContext context) {
    List<Secret> out = new ArrayList<>();
    for (ClusterSpec spec : context.model().clusters()) {
      spec.policies()
          .get(UpstreamTls.class)
          .filter(t -> !t.failed())
          .ifPresent(
              t -> {
                t.clientCertificate().ifPresent(c -> out.add(certificate(c)));
                if (t.verify()) {
                  t.trustedCa().ifPresent(ca -> out.add(ca(ca)));
                }
              });
    }
    return out;
  }

  /** Returns the SDS secret of a client certificate. */
  static Secret certificate(Certificate c) {
    return Secret.newBuilder()
        .setName(c.name())
        .setTlsCertificate(
            TlsCertificate.newBuilder()
                .setCertificateChain(DataSource.newBuilder().setInlineString(c.certificateChain()))
                .setPrivateKey(DataSource.newBuilder().setInlineString(c.privateKey())))
        .build();
  }

  /** Returns the SDS validation-context secret of a CA bundle. */
  static Secret ca(TrustedCa ca) {
    return Secret.newBuilder()
        .setName(ca.name())
        .setValidationContext(
            CertificateValidationContext.newBuilder()
                .setTrustedCa(DataSource.newBuilder().setInlineString(ca.pem())))
        .build();
  }

  /** Returns a reference to SDS secret {@code name} over ADS. */
  static SdsSecretConfig sds(String name) {
    return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(ADS).build();
  }
}
