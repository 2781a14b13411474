package io.gangway.xds.feature;

import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.gangway.model.policy.HostRewrite;
import io.gangway.model.policy.PathRewrite;
import io.gangway.xds.XdsFeature;

/**
 * {@code Rewrite} turns {@link PathRewrite} into the forwarding route's {@code regex_rewrite} or
 * {@code prefix_rewrite}, derived from the route's final match ({@link PathRewrite#rule}), and
 * {@link HostRewrite} into {@code host_rewrite_literal}. A case-insensitive match gets a
 * case-insensitive rewrite pattern. Routes that answer directly (a redirect, a 503) are left alone.
 */
final class Rewrite implements XdsFeature {

  @Override
  public void patchRoute(Route.Builder route, io.gangway.model.Route source) {
    if (!route.hasRoute()) {
      return;
    }
    source
        .policies()
        .get(PathRewrite.class)
        .ifPresent(
            p -> {
              PathRewrite.Rule rule = p.rule(source.match().path());
              if (rule.regex()) {
                String pattern =
                    source.match().ignoreCase() ? "(?i)" + rule.pattern() : rule.pattern();
                route
                    .getRouteBuilder()
                    .setRegexRewrite(
                        RegexMatchAndSubstitute.newBuilder()
                            .setPattern(RegexMatcher.newBuilder().setRegex(pattern))
                            .setSubstitution(rule.substitution()));
              } else {
                route.getRouteBuilder().setPrefixRewrite(rule.substitution());
              }
            });
    source
        .policies()
        .get(HostRewrite.class)
        .ifPresent(h -> route.getRouteBuilder().setHostRewriteLiteral(h.host()));
  }
}
