package io.gangway.xds.feature;

import com.github.xds.core.v3.TypedExtensionConfig;
import com.github.xds.type.matcher.v3.Matcher;
import com.github.xds.type.matcher.v3.RegexMatcher;
import com.github.xds.type.matcher.v3.StringMatcher;
import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.custom_response.v3.CustomResponse;
import io.envoyproxy.envoy.extensions.http.custom_response.redirect_policy.v3.RedirectPolicy;
import io.envoyproxy.envoy.type.matcher.v3.HttpResponseStatusCodeMatchInput;
import io.gangway.model.policy.Fallback;
import io.gangway.xds.FilterOrder;
import io.gangway.xds.HttpFilterSlot;
import io.gangway.xds.ListenerSettings;
import io.gangway.xds.PerRouteFilter;
import io.gangway.xds.RouteTable;
import io.gangway.xds.XdsFeature;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code FallbackOnError} answers the upstream responses whose status is one of a {@link
 * Fallback}'s {@code errorCodes} ({@code custom-http-errors}) from the fallback backend, as Higress
 * does with an internal redirect: Envoy's {@code custom_response} filter (installed disabled in
 * every connection manager, enabled on the routes with error codes) matches the status and
 * redirects internally to path {@code /} of the same host with header {@value #HEADER}{@code :
 * <route name>}; a route added first to the virtual host matches exactly that and forwards to the
 * fallback cluster, under the route's other per-route filter configs (its IP allow list, say), so
 * the header does not bypass them. The path becomes {@code /}, as in ingress-nginx and Higress; the
 * status is the fallback's.
 */
final class FallbackOnError implements XdsFeature {

  static final String FILTER = "envoy.filters.http.custom_response";
  static final String HEADER = "x-gangway-fallback";

  @Override
  public List<HttpFilterSlot> httpFilters(ListenerSettings settings) {
    return List.of(
        PerRouteFilter.disabled(
            FilterOrder.ERROR_RESPONSE, FILTER, CustomResponse.getDefaultInstance()));
  }

  @Override
  public void patchRoute(Route.Builder route, io.gangway.model.Route source) {
    source
        .policies()
        .get(Fallback.class)
        .filter(f -> !f.errorCodes().isEmpty() && route.hasRoute())
        .ifPresent(f -> PerRouteFilter.enable(route, FILTER, customResponse(f, source.name())));
  }

  @Override
  public void patchVirtualHost(
      VirtualHost.Builder vhost, io.gangway.model.VirtualHost source, RouteTable table) {
    List<Route> added = new ArrayList<>();
    Map<String, Route> built = new HashMap<>();
    vhost.getRoutesList().forEach(r -> built.put(r.getName(), r));
    for (io.gangway.model.Route r : source.routes()) {
      Route own = built.get(r.name());
      r.policies()
          .get(Fallback.class)
          .filter(f -> !f.errorCodes().isEmpty() && own != null && own.hasRoute())
          .ifPresent(
              f -> {
                Route.Builder fallback =
                    Route.newBuilder()
                        .setName(r.name() + "/fallback")
                        .setMatch(
                            RouteMatch.newBuilder()
                                .setPath("/")
                                .addHeaders(
                                    HeaderMatcher.newBuilder()
                                        .setName(HEADER)
                                        .setStringMatch(
                                            io.envoyproxy.envoy.type.matcher.v3.StringMatcher
                                                .newBuilder()
                                                .setExact(r.name()))))
                        .setRoute(RouteAction.newBuilder().setCluster(f.backend().cluster()))
                        .addRequestHeadersToRemove(HEADER);
                // The route's other per-route policies (an IP allow list…) guard its fallback too:
                // a client
                // must not reach the fallback by sending the header itself where the route refuses
                // it.
                fallback
                    .putAllTypedPerFilterConfig(own.getTypedPerFilterConfigMap())
                    .removeTypedPerFilterConfig(FILTER);
                added.add(fallback.build());
              });
    }
    if (added.isEmpty()) {
      return;
    }
    List<Route> own = new ArrayList<>(vhost.getRoutesList());
    vhost.clearRoutes().addAllRoutes(added).addAllRoutes(own);
  }

  private static CustomResponse customResponse(Fallback f, String routeName) {
    String codes = f.errorCodes().stream().map(String::valueOf).collect(Collectors.joining("|"));
    RedirectPolicy redirect =
        RedirectPolicy.newBuilder()
            .setRedirectAction(RedirectAction.newBuilder().setPathRedirect("/"))
            .addRequestHeadersToAdd(
                HeaderValueOption.newBuilder()
                    .setHeader(HeaderValue.newBuilder().setKey(HEADER).setValue(routeName))
                    .setAppendAction(
                        HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD))
            .build();
    Matcher.MatcherList.Predicate status =
        Matcher.MatcherList.Predicate.newBuilder()
            .setSinglePredicate(
                Matcher.MatcherList.Predicate.SinglePredicate.newBuilder()
                    .setInput(
                        TypedExtensionConfig.newBuilder()
                            .setName("status-code")
                            .setTypedConfig(
                                Any.pack(HttpResponseStatusCodeMatchInput.getDefaultInstance())))
                    .setValueMatch(
                        StringMatcher.newBuilder()
                            .setSafeRegex(
                                RegexMatcher.newBuilder()
                                    .setGoogleRe2(RegexMatcher.GoogleRE2.getDefaultInstance())
                                    .setRegex(codes))))
            .build();
    return CustomResponse.newBuilder()
        .setCustomResponseMatcher(
            Matcher.newBuilder()
                .setMatcherList(
                    Matcher.MatcherList.newBuilder()
                        .addMatchers(
                            Matcher.MatcherList.FieldMatcher.newBuilder()
                                .setPredicate(status)
                                .setOnMatch(
                                    Matcher.OnMatch.newBuilder()
                                        .setAction(
                                            TypedExtensionConfig.newBuilder()
                                                .setName("fallback")
                                                .setTypedConfig(Any.pack(redirect)))))))
        .build();
  }
}
