package io.gangway.xds.feature;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.type.v3.CodecClientType;
import io.gangway.model.ClusterSpec;
import io.gangway.xds.UpstreamDefaults;
import io.gangway.xds.XdsContext;
import io.gangway.xds.XdsFeature;

/**
 * {@code ActiveHealthChecks} gives the clusters whose service host matches one of {@code
 * upstream.healthChecks} an active HTTP health check (the first matching entry). It is cluster
 * configuration (CDS): adding or changing a check never touches a listener. The check speaks the
 * cluster's protocol (HTTP/2 for gRPC and h2 clusters) over the cluster's transport socket.
 *
 * <p>The check's {@code Host} is the service host ({@code pool.static}), never Envoy's default, the
 * cluster name: {@code outbound|80||pool.static} is not a valid host, and Tomcat and Jetty answer a
 * request carrying it with 400, so every endpoint of a healthy Java backend would fail its check. A
 * service host that is not a valid host name either (Dubbo interface names carry {@code :}) is sent
 * as {@code localhost}.
 */
final class ActiveHealthChecks implements XdsFeature {

  private final UpstreamDefaults defaults;

  ActiveHealthChecks(UpstreamDefaults defaults) {
    this.defaults = requireNonNull(defaults, "defaults");
  }

  @Override
  public void patchCluster(Cluster.Builder cluster, ClusterSpec spec, XdsContext context) {
    if (cluster.getType() != Cluster.DiscoveryType.EDS) {
      return; // generated clusters (aggregates, a fail-closed static one) have no endpoints to
      // check
    }
    defaults.healthChecks().stream()
        .filter(h -> h.matches(spec.serviceHost()))
        .findFirst()
        .ifPresent(
            h ->
                cluster.addHealthChecks(
                    HealthCheck.newBuilder()
                        .setTimeout(duration(h.timeout()))
                        .setInterval(duration(h.interval()))
                        .setUnhealthyThreshold(UInt32Value.of(h.unhealthyThreshold()))
                        .setHealthyThreshold(UInt32Value.of(h.healthyThreshold()))
                        .setHttpHealthCheck(
                            HealthCheck.HttpHealthCheck.newBuilder()
                                .setPath(h.path())
                                .setHost(hostHeader(spec.serviceHost()))
                                .setCodecClientType(
                                    UpstreamProtocolOptions.effectiveProtocol(
                                                spec, context.endpoints().get(spec.serviceHost()))
                                            .http2()
                                        ? CodecClientType.HTTP2
                                        : CodecClientType.HTTP1))));
  }

  /** Returns the {@code Host} header of the checks of the cluster of {@code serviceHost}. */
  static String hostHeader(String serviceHost) {
    return VALID_HOST.matcher(serviceHost).matches() ? serviceHost : "localhost";
  }

  /** An RFC 3986 reg-name limited to what servers accept in practice: letters, digits, . - _ */
  private static final java.util.regex.Pattern VALID_HOST =
      java.util.regex.Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,252}[A-Za-z0-9])?");

  private static Duration duration(java.time.Duration d) {
    return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }
}
