package io.gangway.xds.feature;

import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.gangway.model.PathMatch;
import io.gangway.xds.XdsFeature;

/**
 * {@code MatchCase} makes {@code ignore-path-case} work on regex paths too: Envoy honours {@code
 * case_sensitive: false} for exact and prefix paths but ignores it for {@code safe_regex}, so a
 * case-insensitive regex path gets RE2's {@code (?i)} flag instead.
 */
final class MatchCase implements XdsFeature {

  @Override
  public void patchRoute(Route.Builder route, io.gangway.model.Route source) {
    if (!source.match().ignoreCase() || source.match().path().kind() != PathMatch.Kind.REGEX) {
      return;
    }
    String regex = source.match().path().value();
    if (!regex.startsWith("(?i)")) {
      route.getMatchBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex("(?i)" + regex));
    }
    route.getMatchBuilder().clearCaseSensitive();
  }
}
