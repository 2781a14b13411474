package io.gangway.xds.feature;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.gangway.xds.ListenerSettings;
import io.gangway.xds.XdsFeature;

/**
 * {@code EdgeDefaults} hardens the HTTP connection manager the way an internet-facing gateway needs:
 * client address from the connection (plus the configured number of trusted proxies), RFC 3986 path
 * normalisation and slash merging before route matching, escaped slashes ({@code %2F}) unescaped
 * with a redirect so the route seen is the path the backend will see, host matching without the port, header size
 * and timeout limits. Each value is documented in {@code docs/routing.md}.
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
        .setCommonHttpProtocolOptions(HttpProtocolOptions.newBuilder()
            .setIdleTimeout(duration(s.idleTimeout())));
  }

  private static HttpConnectionManager.PathWithEscapedSlashesAction escapedSlashes(String v) {
    return switch (v) {
      case "keep" -> HttpConnectionManager.PathWithEscapedSlashesAction.KEEP_UNCHANGED;
      case "reject" -> HttpConnectionManager.PathWithEscapedSlashesAction.REJECT_REQUEST;
      case "unescape-and-forward" -> HttpConnectionManager.PathWithEscapedSlashesAction.UNESCAPE_AND_FORWARD;
      default -> HttpConnectionManager.PathWithEscapedSlashesAction.UNESCAPE_AND_REDIRECT;
    };
  }

  private static Duration duration(java.time.Duration d) {
    return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }
}
