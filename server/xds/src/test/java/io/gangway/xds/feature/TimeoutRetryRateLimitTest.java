package io.gangway.xds.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.gangway.model.ClusterSpec;
import io.gangway.model.GatewayModel;
import io.gangway.model.PathMatch;
import io.gangway.model.VirtualHost;
import io.gangway.model.policy.Policies;
import io.gangway.model.policy.RateLimit;
import io.gangway.model.policy.Retry;
import io.gangway.spi.registry.EndpointSet;
import io.gangway.spi.route.SourceRef;
import io.gangway.xds.ListenerSettings;
import io.gangway.xds.UpstreamDefaults;
import io.gangway.xds.XdsFeature;
import io.gangway.xds.XdsResources;
import io.gangway.xds.XdsTranslator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How a route's {@link Retry} combines with the operator's {@code upstream:} retry defaults, and
 * that a {@link RateLimit} changes route tables only: the cases the golden files (which use the
 * default {@code upstream:} settings) do not show.
 */
class TimeoutRetryRateLimitTest {

  private static Route.Builder patched(UpstreamDefaults defaults, Retry retry) {
    io.gangway.model.Route source =
        new io.gangway.model.Route(
                "r",
                PathMatch.prefix("/"),
                io.gangway.model.RouteAction.forward("outbound|80||a.static"),
                SourceRef.file("routes.yaml"))
            .withPolicies(Policies.of(retry));
    Route.Builder route =
        Route.newBuilder().setRoute(RouteAction.newBuilder().setCluster("outbound|80||a.static"));
    for (XdsFeature f :
        List.of(
            new RouteTimeout(),
            new UpstreamResilience(defaults),
            new TimeoutsAndRetries(defaults))) {
      f.patchRoute(route, source);
    }
    return route;
  }

  @Test
  void statusCodeRetry_keepsTheSafeDefaultConditions_andReplacesTheirCount() {
    Route.Builder r =
        patched(
            UpstreamDefaults.defaults(), new Retry(4, false, List.of(503), false, Duration.ZERO));
    assertThat(r.getRoute().getRetryPolicy().getRetryOn())
        .isEqualTo("retriable-status-codes,connect-failure,refused-stream,reset-before-request");
    assertThat(r.getRoute().getRetryPolicy().getNumRetries().getValue()).isEqualTo(4);
    assertThat(r.getRoute().getRetryPolicy().getRetriableStatusCodesList()).containsExactly(503);
  }

  @Test
  void withTheOperatorsRetriesOff_onlyTheAnnotationsConditionsApply() {
    Route.Builder r =
        patched(
            UpstreamDefaults.none(),
            new Retry(2, true, List.of(502), false, Duration.ofSeconds(1)));
    assertThat(r.getRoute().getRetryPolicy().getRetryOn()).isEqualTo("5xx,retriable-status-codes");
    assertThat(r.getRoute().getRetryPolicy().getPerTryTimeout().getSeconds()).isEqualTo(1);
  }

  @Test
  void off_removesEvenTheSafeDefaultRetries() {
    Route.Builder r =
        patched(UpstreamDefaults.defaults(), new Retry(0, false, List.of(), false, Duration.ZERO));
    // A policy of its own that retries nothing: it overrides the virtual host's default policy.
    assertThat(r.getRoute().getRetryPolicy().getNumRetries().getValue()).isZero();
    assertThat(r.getRoute().getRetryPolicy().getRetryOn()).isEmpty();
  }

  @Test
  void nonIdempotentAlone_withoutOperatorDefaults_hasNothingToRetryOn() {
    Route.Builder r =
        patched(UpstreamDefaults.none(), new Retry(3, false, List.of(), true, Duration.ZERO));
    assertThat(r.getRoute().getRetryPolicy().getNumRetries().getValue()).isZero();
  }

  @Test
  void addingARateLimit_changesRoutesButNoListenerByte() {
    XdsTranslator t =
        new XdsTranslator(
            List.of(ListenerSettings.defaults("127.0.0.1", 8080)),
            Features.defaults(),
            Duration.ofSeconds(5));
    ClusterSpec a = ClusterSpec.of("a.static", 80);
    io.gangway.model.Route plain =
        new io.gangway.model.Route(
            "r",
            PathMatch.prefix("/"),
            io.gangway.model.RouteAction.forward(a.name()),
            SourceRef.file("routes.yaml"));
    io.gangway.model.Route limited =
        plain.withPolicies(Policies.of(new RateLimit(10, Duration.ofSeconds(1), 5)));
    Map<String, EndpointSet> eps = Map.of();
    XdsResources before =
        t.translate(
            new GatewayModel(List.of(new VirtualHost("*", List.of(plain))), List.of(a), List.of()),
            eps);
    XdsResources after =
        t.translate(
            new GatewayModel(
                List.of(new VirtualHost("*", List.of(limited))), List.of(a), List.of()),
            eps);
    assertThat(after.routes()).isNotEqualTo(before.routes());
    assertThat(after.listeners()).isNotEmpty();
    assertThat(after.listeners().stream().map(l -> l.toByteString()).toList())
        .isEqualTo(before.listeners().stream().map(l -> l.toByteString()).toList());
  }
}
