package io.gangway.xds.feature;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.gangway.xds.ListenerSettings;
import io.gangway.xds.XdsFeature;

/**
 * {@code EdgeDefaults} hardens the HTTP connection manager the way an internet-facing gateway
 * needs: client address from the connection (plus the configured number of trusted proxies), RFC
 * 3986 path normalisation and slash merging before route matching, escaped slashes ({@code %2F})
 * unescaped with a redirect so the route seen is the path the backend will see, host matching
 * without the port, header size and timeout limits, HTTP/1.0 accepted. Each value is documented in
 * {@code docs/routing.md}.
 */
final class EdgeDefaults implements XdsFeature {

  @Override
  public void patchHttpConnectionManager(HttpConnectionManager.Builder hcm, ListenerSettings s) {
    hcm.setUseRemoteAddress(BoolValue.of(true))
        .setXffNumTrustedHops(s.xffNumTrustedHops())
        .setNormalizePath(BoolValue.of(true))
        .setMergeSlashes(true)
        .setStripAnyHostPort(true)
        .setPathWithEscapedSlashesAction(escapedSlashes(s.escapedSlashes()))
        .setMaxRequestHeadersKb(UInt32Value.of(s.maxRequestHeadersKb()))
        .setRequestHeadersTimeout(duration(s.requestHeadersTimeout()))
        .setStreamIdleTimeout(duration(s.streamIdleTimeout()))
        .setCommonHttpProtocolOptions(
            HttpProtocolOptions.newBuilder().setIdleTimeout(duration(s.idleTimeout())))
        // HTTP/1.0 (health checkers, old clients) is served instead of answered 426; a 1.0 request
        // without a Host header is routed as host "_", which only a catch-all ("*") host matches.
        .setHttpProtocolOptions(
            io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions.newBuilder()
                .setAcceptHttp10(true)
                .setDefaultHostForHttp10("_"));
  }

  private static HttpConnectionManager.PathWithEscapedSlashesAction escapedSlashes(String v) {
    return switch (v) {
      case "keep" -> HttpConnectionManager.PathWithEscapedSlashesAction.KEEP_UNCHANGED;
      case "reject" -> HttpConnectionManager.PathWithEscapedSlashesAction.REJECT_REQUEST;
      case "unescape-and-forward" ->
          HttpConnectionManager.PathWithEscapedSlashesAction.UNESCAPE_AND_FORWARD;
      default -> HttpConnectionManager.PathWithEscapedSlashesAction.UNESCAPE_AND_REDIRECT;
    };
  }

  private static Duration duration(java.time.Duration d) {
    return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }
}
