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
                                .setCodecClientType(
                                    UpstreamProtocolOptions.effectiveProtocol(
                                                spec, context.endpoints().get(spec.serviceHost()))
                                            .http2()
                                        ? CodecClientType.HTTP2
                                        : CodecClientType.HTTP1))));
  }

  private static Duration duration(java.time.Duration d) {
    return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }
}
