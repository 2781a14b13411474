package io.gangway.xds.feature;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.gangway.model.policy.RequestTimeout;
import io.gangway.model.policy.Retry;
import io.gangway.xds.UpstreamDefaults;
import io.gangway.xds.XdsFeature;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code TimeoutsAndRetries} applies a route's {@link RequestTimeout} (Envoy's route {@code
 * timeout}, which bounds all tries together; past it Envoy answers 504) and {@link Retry}. It runs
 * after {@link RouteTimeout} and {@link UpstreamResilience} and wins over both for the routes that
 * have a policy.
 *
 * <p>A {@code Retry} replaces the operator's default retry policy (set on the virtual host) for its
 * route: {@code off} (0 retries) gives the route a policy of 0 retries, so nothing is retried, safe
 * retries included, because the user asked that nothing be retried. Otherwise the route retries
 * {@code retries} times, on another endpoint when there is one ({@code previous_hosts}), on the
 * annotation's conditions ({@code 5xx}, {@code retriable-status-codes}) <em>plus</em> the default
 * safe conditions ({@code connect-failure} …), so a status-code-only annotation does not lose the
 * retry of a request that never reached the application. {@code non_idempotent} has no Envoy
 * equivalent: Envoy retries every method, as Higress does.
 */
final class TimeoutsAndRetries implements XdsFeature {

  /**
   * A route's own policy that retries nothing: it overrides the virtual host's default policy
   * (which clearing the route's policy would not).
   */
  static final RetryPolicy NO_RETRIES =
      RetryPolicy.newBuilder().setNumRetries(UInt32Value.of(0)).build();

  private final UpstreamDefaults defaults;

  TimeoutsAndRetries(UpstreamDefaults defaults) {
    this.defaults = requireNonNull(defaults, "defaults");
  }

  @Override
  public void patchRoute(Route.Builder route, io.gangway.model.Route source) {
    if (!route.hasRoute()) {
      return;
    }
    source
        .policies()
        .get(RequestTimeout.class)
        .ifPresent(t -> route.getRouteBuilder().setTimeout(duration(t.timeout())));
    source.policies().get(Retry.class).ifPresent(r -> retry(route.getRouteBuilder(), r));
  }

  private void retry(io.envoyproxy.envoy.config.route.v3.RouteAction.Builder action, Retry r) {
    if (r.off()) {
      action.setRetryPolicy(NO_RETRIES);
      return;
    }
    Set<String> on = new LinkedHashSet<>();
    if (r.onServerError()) {
      on.add("5xx");
    }
    if (!r.statusCodes().isEmpty()) {
      on.add("retriable-status-codes");
    }
    if (defaults.retries() > 0 && !defaults.retryOn().isEmpty()) {
      on.addAll(List.of(defaults.retryOn().split(",")));
    }
    if (on.isEmpty()) {
      // Only non_idempotent was asked for (Higress sends Envoy a condition it ignores): nothing to
      // retry on.
      action.setRetryPolicy(NO_RETRIES);
      return;
    }
    RetryPolicy.Builder p =
        RetryPolicy.newBuilder()
            .setRetryOn(String.join(",", on))
            .setNumRetries(UInt32Value.of(r.retries()))
            .addAllRetriableStatusCodes(r.statusCodes())
            .addRetryHostPredicate(
                RetryPolicy.RetryHostPredicate.newBuilder()
                    .setName("envoy.retry_host_predicates.previous_hosts")
                    .setTypedConfig(Any.pack(PreviousHostsPredicate.getDefaultInstance())))
            .setHostSelectionRetryMaxAttempts(5);
    if (!r.perTryTimeout().isZero()) {
      p.setPerTryTimeout(duration(r.perTryTimeout()));
    }
    action.setRetryPolicy(p);
  }

  private static Duration duration(java.time.Duration d) {
    return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }
}
