package io.gangway.xds.feature;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.envoyproxy.envoy.type.v3.TokenBucket;
import io.gangway.model.policy.RateLimit;
import io.gangway.xds.FilterOrder;
import io.gangway.xds.HttpFilterSlot;
import io.gangway.xds.ListenerSettings;
import io.gangway.xds.PerRouteFilter;
import io.gangway.xds.XdsFeature;
import java.util.List;

/**
 * {@code LocalRateLimiting} enforces a route's {@link RateLimit} with Envoy's local rate limit
 * filter, installed disabled in every HTTP connection manager at {@link FilterOrder#RATE_LIMIT} and
 * enabled by each limited route's own per-route config. Each such config has its own token bucket
 * (shared by Envoy's worker threads, so the limit is per gateway instance); a request finding it
 * empty is answered {@code 429}. Routes without the policy are not limited. The bucket starts full
 * again when the route table is replaced (any route edit).
 */
final class LocalRateLimiting implements XdsFeature {

  static final String FILTER = "envoy.filters.http.local_ratelimit";
  static final String STAT_PREFIX = "route_local_rate_limit";

  @Override
  public List<HttpFilterSlot> httpFilters(ListenerSettings settings) {
    return List.of(
        PerRouteFilter.disabled(
            FilterOrder.RATE_LIMIT,
            FILTER,
            LocalRateLimit.newBuilder().setStatPrefix(STAT_PREFIX).build()));
  }

  @Override
  public void patchRoute(Route.Builder route, io.gangway.model.Route source) {
    source
        .policies()
        .get(RateLimit.class)
        .ifPresent(
            limit ->
                PerRouteFilter.enable(
                    route,
                    FILTER,
                    LocalRateLimit.newBuilder()
                        .setStatPrefix(STAT_PREFIX)
                        .setTokenBucket(
                            TokenBucket.newBuilder()
                                .setMaxTokens((int) limit.maxTokens())
                                .setTokensPerFill(UInt32Value.of(limit.requests()))
                                .setFillInterval(
                                    com.google.protobuf.Duration.newBuilder()
                                        .setSeconds(limit.per().toSeconds())))
                        // Both default to 0 % when absent: the filter would count nothing.
                        .setFilterEnabled(all("route_local_rate_limit.enabled"))
                        .setFilterEnforced(all("route_local_rate_limit.enforced"))
                        .build()));
  }

  private static RuntimeFractionalPercent all(String runtimeKey) {
    return RuntimeFractionalPercent.newBuilder()
        .setRuntimeKey(runtimeKey)
        .setDefaultValue(
            FractionalPercent.newBuilder()
                .setNumerator(100)
                .setDenominator(FractionalPercent.DenominatorType.HUNDRED))
        .build();
  }
}
