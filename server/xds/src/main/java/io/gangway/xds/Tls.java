package io.gangway.xds;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.gangway.model.Certificate;
import io.gangway.model.GatewayModel;
import io.gangway.model.TlsBinding;
import io.gangway.model.VirtualHost;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code Tls} builds the TLS parts of an HTTPS listener and the SDS secrets. Each certificate gets
 * one filter chain matching its server names (SNI; exact and {@code *.} wildcard names, Envoy
 * picking the most specific), the certificate bound to {@code *} gets the chain without a match
 * (the default for unknown or absent SNI). Chains refer to certificates by SDS name only, so
 * rotating a certificate changes its Secret and nothing else: Envoy swaps the certificate without
 * draining the listener.
 */
final class Tls {

  /** The name of the chain serving the {@code *} binding. */
  static final String DEFAULT_CHAIN = "default";

  private Tls() {}

  /**
   * The TLS inspector, which reads SNI and ALPN from the ClientHello so chains can match on them.
   */
  static ListenerFilter inspector() {
    return ListenerFilter.newBuilder()
        .setName("envoy.filters.listener.tls_inspector")
        .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance()))
        .build();
  }

  /**
   * Returns one filter chain per certificate (sorted by name), the default chain last. Hosts of one
   * certificate whose TLS context a feature patches differently ({@link
   * XdsFeature#patchDownstreamTls}) get a chain of their own, named {@code <certificate>|<first
   * host>}.
   */
  static List<FilterChain> filterChains(
      GatewayModel model, Filter hcm, ConfigSource ads, List<XdsFeature> features) {
    Map<String, VirtualHost> vhosts = new HashMap<>();
    model.virtualHosts().forEach(v -> vhosts.put(v.host(), v));
    // certificate -> patched context -> hosts, each sorted (contexts by their first host).
    Map<String, Map<DownstreamTlsContext, TreeSet<String>>> groups = new TreeMap<>();
    String defaultCertificate = null;
    for (TlsBinding b : model.tls()) {
      if (b.host().equals("*")) {
        defaultCertificate = b.certificate();
      } else {
        groups
            .computeIfAbsent(b.certificate(), c -> new LinkedHashMap<>())
            .computeIfAbsent(
                context(b.certificate(), b.host(), vhosts, ads, features), x -> new TreeSet<>())
            .add(b.host());
      }
    }
    List<FilterChain> chains = new ArrayList<>();
    groups.forEach(
        (certificate, byContext) -> {
          DownstreamTlsContext plain = base(certificate, ads).build();
          List<Map.Entry<DownstreamTlsContext, TreeSet<String>>> entries =
              new ArrayList<>(byContext.entrySet());
          entries.sort(
              Comparator.comparing(
                      (Map.Entry<DownstreamTlsContext, TreeSet<String>> e) ->
                          !e.getKey().equals(plain))
                  .thenComparing(e -> e.getValue().first()));
          for (Map.Entry<DownstreamTlsContext, TreeSet<String>> e : entries) {
            chains.add(
                FilterChain.newBuilder()
                    .setName(
                        e.getKey().equals(plain)
                            ? certificate
                            : certificate + "|" + e.getValue().first())
                    .setFilterChainMatch(
                        FilterChainMatch.newBuilder().addAllServerNames(e.getValue()))
                    .setTransportSocket(transportSocket(e.getKey()))
                    .addFilters(hcm)
                    .build());
          }
        });
    if (defaultCertificate != null) {
      chains.add(
          FilterChain.newBuilder()
              .setName(DEFAULT_CHAIN)
              .setTransportSocket(
                  transportSocket(context(defaultCertificate, "*", vhosts, ads, features)))
              .addFilters(hcm)
              .build());
    }
    return chains;
  }

  private static DownstreamTlsContext context(
      String certificate,
      String host,
      Map<String, VirtualHost> vhosts,
      ConfigSource ads,
      List<XdsFeature> features) {
    DownstreamTlsContext.Builder b = base(certificate, ads);
    VirtualHost source = vhosts.getOrDefault(host, new VirtualHost(host, List.of()));
    features.forEach(f -> f.patchDownstreamTls(b, source));
    return b.build();
  }

  /** Returns the SDS secrets of the model's certificates, sorted by name. */
  static List<Secret> secrets(GatewayModel model) {
    List<Secret> out = new ArrayList<>();
    for (Certificate c : model.certificates()) {
      out.add(
          Secret.newBuilder()
              .setName(c.name())
              .setTlsCertificate(
                  TlsCertificate.newBuilder()
                      .setCertificateChain(
                          DataSource.newBuilder().setInlineString(c.certificateChain()))
                      .setPrivateKey(DataSource.newBuilder().setInlineString(c.privateKey())))
              .build());
    }
    out.sort(java.util.Comparator.comparing(Secret::getName));
    return out;
  }

  private static DownstreamTlsContext.Builder base(String certificate, ConfigSource ads) {
    return DownstreamTlsContext.newBuilder()
        .setCommonTlsContext(
            CommonTlsContext.newBuilder()
                .addTlsCertificateSdsSecretConfigs(
                    SdsSecretConfig.newBuilder().setName(certificate).setSdsConfig(ads))
                // HTTP/2 when the client offers it; the connection manager's AUTO codec follows
                // ALPN.
                .addAlpnProtocols("h2")
                .addAlpnProtocols("http/1.1"));
  }

  private static TransportSocket transportSocket(DownstreamTlsContext tls) {
    return TransportSocket.newBuilder()
        .setName("envoy.transport_sockets.tls")
        .setTypedConfig(Any.pack(tls))
        .build();
  }
}
