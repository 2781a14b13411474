package io.gangway.xds.feature;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.gangway.model.policy.DownstreamTls;
import io.gangway.xds.RouteTable;
import io.gangway.xds.XdsContext;
import io.gangway.xds.XdsFeature;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code DownstreamTlsSettings} applies a host's {@link DownstreamTls} policy. On the TLS listener
 * it shapes the filter chain serving the host: client certificates required and verified against
 * the CA (an SDS validation-context secret {@code ca:<ns>/<name>}, so a CA rotation is an SDS
 * update that leaves the listener unchanged), cipher suites and the protocol range. Changing the
 * policy itself changes that filter chain, i.e. LDS.
 *
 * <p>Because Envoy selects a filter chain by SNI but a virtual host by {@code Host}, a mutual-TLS
 * host's routes also match only connections with a validated client certificate, on every listener;
 * other requests get {@code 403} (redirects and direct responses excepted). A host whose CA could
 * not be found fails closed: every request gets {@code 403}.
 */
final class DownstreamTlsSettings implements XdsFeature {

  @Override
  public void patchDownstreamTls(
      DownstreamTlsContext.Builder tls, io.gangway.model.VirtualHost source) {
    DownstreamTls t = source.policies().get(DownstreamTls.class).orElse(null);
    if (t == null) {
      return;
    }
    if (t.mutual() && t.clientCa().isPresent() && !t.failed()) {
      tls.setRequireClientCertificate(BoolValue.of(true));
      tls.getCommonTlsContextBuilder()
          .setValidationContextSdsSecretConfig(UpstreamTlsSettings.sds(t.clientCa().get().name()));
    }
    if (!t.ciphers().isEmpty() || !t.minVersion().isEmpty() || !t.maxVersion().isEmpty()) {
      TlsParameters.Builder params = tls.getCommonTlsContextBuilder().getTlsParamsBuilder();
      params.addAllCipherSuites(t.ciphers());
      if (!t.minVersion().isEmpty()) {
        params.setTlsMinimumProtocolVersion(version(t.minVersion()));
      }
      if (!t.maxVersion().isEmpty()) {
        params.setTlsMaximumProtocolVersion(version(t.maxVersion()));
      }
    }
  }

  @Override
  public void patchVirtualHost(
      VirtualHost.Builder vhost, io.gangway.model.VirtualHost source, RouteTable table) {
    DownstreamTls t = source.policies().get(DownstreamTls.class).orElse(null);
    if (t == null || !t.mutual()) {
      return;
    }
    if (t.failed() || t.clientCa().isEmpty()) {
      vhost
          .clearRoutes()
          .addRoutes(
              forbidden(
                  source.host() + "/client-ca-missing",
                  "gangway: the client CA of this host is missing\n"));
      return;
    }
    for (Route.Builder r : vhost.getRoutesBuilderList()) {
      if (r.hasRoute()) {
        r.getMatchBuilder()
            .setTlsContext(
                RouteMatch.TlsContextMatchOptions.newBuilder()
                    .setPresented(BoolValue.of(true))
                    .setValidated(BoolValue.of(true)));
      }
    }
    vhost.addRoutes(
        forbidden(
            source.host() + "/client-certificate-required",
            "gangway: a valid client certificate is required\n"));
  }

  @Override
  public List<Secret> extraSecrets(XdsContext context) {
    List<Secret> out = new ArrayList<>();
    for (io.gangway.model.VirtualHost v : context.model().virtualHosts()) {
      v.policies()
          .get(DownstreamTls.class)
          .filter(t -> !t.failed())
          .flatMap(DownstreamTls::clientCa)
          .ifPresent(ca -> out.add(UpstreamTlsSettings.ca(ca)));
    }
    return out;
  }

  private static Route forbidden(String name, String body) {
    return Route.newBuilder()
        .setName(name)
        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
        .setDirectResponse(
            DirectResponseAction.newBuilder()
                .setStatus(403)
                .setBody(DataSource.newBuilder().setInlineString(body)))
        .build();
  }

  private static TlsParameters.TlsProtocol version(String v) {
    return switch (v) {
      case "TLSv1.0" -> TlsParameters.TlsProtocol.TLSv1_0;
      case "TLSv1.1" -> TlsParameters.TlsProtocol.TLSv1_1;
      case "TLSv1.2" -> TlsParameters.TlsProtocol.TLSv1_2;
      case "TLSv1.3" -> TlsParameters.TlsProtocol.TLSv1_3;
      default ->
          throw new IllegalArgumentException("version: " + v + " (expected: TLSv1.0 … TLSv1.3)");
    };
  }
}
