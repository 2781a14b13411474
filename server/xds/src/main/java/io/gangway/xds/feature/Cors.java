package io.gangway.xds.feature;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.gangway.xds.FilterOrder;
import io.gangway.xds.HttpFilterSlot;
import io.gangway.xds.ListenerSettings;
import io.gangway.xds.PerRouteFilter;
import io.gangway.xds.RouteTable;
import io.gangway.xds.XdsFeature;
import java.util.List;

/**
 * {@code Cors} implements the {@link io.gangway.model.policy.Cors} policy with Envoy's CORS filter,
 * installed disabled in every connection manager at {@link FilterOrder#CORS} and enabled per route
 * with a {@code CorsPolicy} (the route-level {@code cors} field is deprecated). The filter answers
 * a matching preflight itself and adds the response headers; a request whose origin is not allowed
 * passes without them (and a non-matching preflight goes to the backend, Envoy's default). Origins
 * follow Higress: {@code *} is the regex {@code .*}, {@code scheme://*.foo.com} the regex {@code
 * .*\.foo\.com} (so any scheme), anything else an exact match. Envoy echoes the request's origin in
 * {@code access-control-allow-origin}. Routes that answer directly (a 503 for an unresolved
 * backend) get no CORS headers: Envoy's filter acts only on forwarding routes.
 */
final class Cors implements XdsFeature {

  static final String FILTER = "envoy.filters.http.cors";

  @Override
  public List<HttpFilterSlot> httpFilters(ListenerSettings settings) {
    return List.of(
        PerRouteFilter.disabled(
            FilterOrder.CORS,
            FILTER,
            io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors.getDefaultInstance()));
  }

  @Override
  public void patchRoute(Route.Builder route, io.gangway.model.Route source, RouteTable table) {
    source
        .policies()
        .get(io.gangway.model.policy.Cors.class)
        .ifPresent(c -> PerRouteFilter.enable(route, FILTER, policy(c)));
  }

  static CorsPolicy policy(io.gangway.model.policy.Cors c) {
    CorsPolicy.Builder p =
        CorsPolicy.newBuilder()
            .setAllowMethods(String.join(",", c.allowMethods()))
            .setAllowHeaders(String.join(",", c.allowHeaders()))
            .setExposeHeaders(String.join(",", c.exposeHeaders()))
            .setMaxAge(Integer.toString(c.maxAgeSeconds()))
            .setAllowCredentials(BoolValue.of(c.allowCredentials()));
    for (String origin : c.allowOrigins()) {
      p.addAllowOriginStringMatch(origin(origin));
    }
    return p.build();
  }

  private static StringMatcher origin(String origin) {
    if (origin.equals("*")) {
      return regex(".*");
    }
    int star = origin.indexOf("://*");
    if (star >= 0) {
      // Higress keeps the host only: the scheme is dropped and the leading * matches anything.
      return regex(".*" + escape(origin.substring(star + 4)));
    }
    return StringMatcher.newBuilder().setExact(origin).build();
  }

  /** Escapes RE2 metacharacters, so {@code .foo.com} matches only itself. */
  private static String escape(String literal) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < literal.length(); i++) {
      char ch = literal.charAt(i);
      if ("\\.+*?()|[]{}^$".indexOf(ch) >= 0) {
        sb.append('\\');
      }
      sb.append(ch);
    }
    return sb.toString();
  }

  private static StringMatcher regex(String re) {
    return StringMatcher.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex(re)).build();
  }
}
