package io.gangway.xds.feature;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.gangway.model.ClusterSpec;
import io.gangway.xds.RouteTable;
import io.gangway.xds.UpstreamDefaults;
import io.gangway.xds.XdsFeature;

/**
 * {@code UpstreamResilience} applies {@link UpstreamDefaults}: every forwarding route retries (the
 * virtual host's retry policy), on another endpoint (the {@code previous_hosts} predicate), the
 * failures that never reached the application; every cluster ejects an endpoint after consecutive
 * gateway errors. Without it one dead endpoint of two fails half the requests until the registry
 * removes it, which a registry may never do (a static list, a crashed process whose registration
 * lingers). Application 5xx never eject an endpoint and never retry: they are the application's
 * answer.
 */
final class UpstreamResilience implements XdsFeature {

  private final UpstreamDefaults defaults;

  UpstreamResilience(UpstreamDefaults defaults) {
    this.defaults = requireNonNull(defaults, "defaults");
  }

  /**
   * Sets the default retry policy once per virtual host rather than on every route: Envoy applies
   * it to every route of the host that has no policy of its own, and at 100,000 routes the
   * per-route copies were most of the route table's bytes. A route with its own policy ({@link
   * TimeoutsAndRetries}) overrides it entirely.
   */
  @Override
  public void patchVirtualHost(
      VirtualHost.Builder vhost, io.gangway.model.VirtualHost source, RouteTable table) {
    if (defaults.retries() == 0 || defaults.retryOn().isEmpty()) {
      return;
    }
    if (vhost.getRoutesList().stream().noneMatch(Route::hasRoute)) {
      return;
    }
    vhost.setRetryPolicy(
        RetryPolicy.newBuilder()
            .setRetryOn(defaults.retryOn())
            .setNumRetries(UInt32Value.of(defaults.retries()))
            .addRetryHostPredicate(
                RetryPolicy.RetryHostPredicate.newBuilder()
                    .setName("envoy.retry_host_predicates.previous_hosts")
                    .setTypedConfig(
                        com.google.protobuf.Any.pack(PreviousHostsPredicate.getDefaultInstance())))
            .setHostSelectionRetryMaxAttempts(5));
  }

  @Override
  public void patchCluster(Cluster.Builder cluster, ClusterSpec spec) {
    if (!defaults.outlierDetection()) {
      return;
    }
    cluster.setOutlierDetection(
        OutlierDetection.newBuilder()
            .setConsecutiveGatewayFailure(UInt32Value.of(defaults.consecutiveGatewayErrors()))
            .setEnforcingConsecutiveGatewayFailure(UInt32Value.of(100))
            // Application 5xx and success-rate ejection are off: only failures of the endpoint
            // itself count.
            .setEnforcingConsecutive5Xx(UInt32Value.of(0))
            .setEnforcingSuccessRate(UInt32Value.of(0))
            .setInterval(duration(defaults.interval()))
            .setBaseEjectionTime(duration(defaults.baseEjectionTime()))
            .setMaxEjectionPercent(UInt32Value.of(defaults.maxEjectionPercent())));
  }

  private static Duration duration(java.time.Duration d) {
    return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }
}
