package io.gangway.xds.feature;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.common.mutation_rules.v3.HeaderMutation;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.common.matching.v3.ExtensionWithMatcher;
import io.envoyproxy.envoy.extensions.filters.common.matcher.action.v3.SkipFilter;
import io.envoyproxy.envoy.extensions.filters.http.header_mutation.v3.Mutations;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.matcher.v3.HttpRequestHeaderMatchInput;
import io.gangway.xds.FilterOrder;
import io.gangway.xds.HttpFilterSlot;
import io.gangway.xds.ListenerSettings;
import io.gangway.xds.UpstreamDefaults;
import io.gangway.xds.XdsFeature;
import java.util.List;

/**
 * {@code IdempotentResetRetry} retries a request of an idempotent method (GET, HEAD, OPTIONS,
 * TRACE, PUT, DELETE) when the upstream connection is reset after the request was sent, as nginx's
 * {@code proxy_next_upstream error} does. This is the HTTP/1.1 keep-alive race: Envoy writes a
 * request on a pooled connection at the moment the backend closes it (an endpoint shutting down, or
 * its keep-alive timeout expiring); the backend never read it, but Envoy cannot know that, and the
 * safe {@code reset-before-request} condition does not cover it. Envoy's retry policy has no
 * condition that looks at the method, so a filter does: {@code match_delegate} runs a {@code
 * header_mutation} that sets {@code x-envoy-retry-on: reset} only for those methods, and the router
 * merges it with the route's retry policy (its retry count and {@code previous_hosts} predicate).
 *
 * <p>A client cannot set the header itself: the connection manager strips {@code x-envoy-*} request
 * headers of external requests ({@code use_remote_address}), and the router removes the header
 * before forwarding. The filter is static listener config; a route whose retries are off (no retry
 * policy) disables it by per-route config, so its requests are never retried.
 */
final class IdempotentResetRetry implements XdsFeature {

  static final String FILTER = "gangway.idempotent_reset_retry";
  static final String IDEMPOTENT_METHODS = "GET|HEAD|OPTIONS|TRACE|PUT|DELETE";

  private final UpstreamDefaults defaults;

  IdempotentResetRetry(UpstreamDefaults defaults) {
    this.defaults = requireNonNull(defaults, "defaults");
  }

  private boolean on() {
    return defaults.idempotentResetRetry()
        && defaults.retries() > 0
        && !defaults.retryOn().isEmpty();
  }

  @Override
  public List<HttpFilterSlot> httpFilters(ListenerSettings settings) {
    if (!on()) {
      return List.of();
    }
    return List.of(
        new HttpFilterSlot(
            FilterOrder.RETRY_CONDITIONS,
            HttpFilter.newBuilder().setName(FILTER).setTypedConfig(Any.pack(filter())).build()));
  }

  @Override
  public void patchRoute(Route.Builder route, io.gangway.model.Route source) {
    // Runs after TimeoutsAndRetries. A route without a policy of its own has the virtual host's
    // default one; a route whose own policy retries nothing must not retry this either.
    if (on()
        && route.hasRoute()
        && route.getRoute().hasRetryPolicy()
        && route.getRoute().getRetryPolicy().getNumRetries().getValue() == 0) {
      route.putTypedPerFilterConfig(
          FILTER, Any.pack(FilterConfig.newBuilder().setDisabled(true).build()));
    }
  }

  private static ExtensionWithMatcher filter() {
    var method =
        com.github.xds.type.matcher.v3.Matcher.MatcherList.Predicate.SinglePredicate.newBuilder()
            .setInput(
                com.github.xds.core.v3.TypedExtensionConfig.newBuilder()
                    .setName("method")
                    .setTypedConfig(
                        Any.pack(
                            HttpRequestHeaderMatchInput.newBuilder()
                                .setHeaderName(":method")
                                .build())))
            .setValueMatch(
                com.github.xds.type.matcher.v3.StringMatcher.newBuilder()
                    .setSafeRegex(
                        com.github.xds.type.matcher.v3.RegexMatcher.newBuilder()
                            .setGoogleRe2(
                                com.github.xds.type.matcher.v3.RegexMatcher.GoogleRE2
                                    .getDefaultInstance())
                            .setRegex(IDEMPOTENT_METHODS)));
    var notIdempotent =
        com.github.xds.type.matcher.v3.Matcher.MatcherList.Predicate.newBuilder()
            .setNotMatcher(
                com.github.xds.type.matcher.v3.Matcher.MatcherList.Predicate.newBuilder()
                    .setSinglePredicate(method));
    var skip =
        com.github.xds.type.matcher.v3.Matcher.OnMatch.newBuilder()
            .setAction(
                com.github.xds.core.v3.TypedExtensionConfig.newBuilder()
                    .setName("skip")
                    .setTypedConfig(Any.pack(SkipFilter.getDefaultInstance())));
    var matcher =
        com.github.xds.type.matcher.v3.Matcher.newBuilder()
            .setMatcherList(
                com.github.xds.type.matcher.v3.Matcher.MatcherList.newBuilder()
                    .addMatchers(
                        com.github.xds.type.matcher.v3.Matcher.MatcherList.FieldMatcher.newBuilder()
                            .setPredicate(notIdempotent)
                            .setOnMatch(skip)));
    var mutation =
        io.envoyproxy.envoy.extensions.filters.http.header_mutation.v3.HeaderMutation.newBuilder()
            .setMutations(
                Mutations.newBuilder()
                    .addRequestMutations(
                        HeaderMutation.newBuilder()
                            .setAppend(
                                HeaderValueOption.newBuilder()
                                    .setHeader(
                                        HeaderValue.newBuilder()
                                            .setKey("x-envoy-retry-on")
                                            .setValue("reset"))
                                    .setAppendAction(
                                        HeaderValueOption.HeaderAppendAction
                                            .OVERWRITE_IF_EXISTS_OR_ADD))));
    return ExtensionWithMatcher.newBuilder()
        .setXdsMatcher(matcher)
        .setExtensionConfig(
            TypedExtensionConfig.newBuilder()
                .setName("envoy.filters.http.header_mutation")
                .setTypedConfig(Any.pack(mutation.build())))
        .build();
  }
}
