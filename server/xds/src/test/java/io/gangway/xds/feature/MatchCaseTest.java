package io.gangway.xds.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.gangway.model.PathMatch;
import io.gangway.model.RouteAction;
import io.gangway.model.RouteMatch;
import io.gangway.spi.route.SourceRef;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatchCaseTest {

  private static Route.Builder built(RouteMatch m) {
    Route.Builder b = Route.newBuilder();
    b.getMatchBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex(m.path().value()));
    if (m.ignoreCase()) {
      b.getMatchBuilder().setCaseSensitive(com.google.protobuf.BoolValue.of(false));
    }
    new MatchCase()
        .patchRoute(
            b,
            new io.gangway.model.Route(
                "r",
                m,
                new RouteAction.DirectResponse(200, ""),
                SourceRef.file("f"),
                io.gangway.model.policy.Policies.none()));
    return b;
  }

  @Test
  void caseInsensitiveRegexPathGetsTheRe2Flag() {
    Route.Builder b = built(RouteMatch.of(PathMatch.regex("/api/[a-z]+")).withIgnoreCase(true));
    assertThat(b.getMatch().getSafeRegex().getRegex()).isEqualTo("(?i)/api/[a-z]+");
    assertThat(b.getMatch().hasCaseSensitive()).isFalse();
  }

  @Test
  void aRegexThatAlreadyHasTheFlagIsNotPrefixedTwice() {
    Route.Builder b = built(RouteMatch.of(PathMatch.regex("(?i)/x")).withIgnoreCase(true));
    assertThat(b.getMatch().getSafeRegex().getRegex()).isEqualTo("(?i)/x");
  }

  @Test
  void caseSensitiveRegexAndPrefixPathsAreLeftAlone() {
    assertThat(built(RouteMatch.of(PathMatch.regex("/a.*"))).getMatch().getSafeRegex().getRegex())
        .isEqualTo("/a.*");
    Route.Builder prefix = Route.newBuilder();
    prefix
        .getMatchBuilder()
        .setPathSeparatedPrefix("/A")
        .setCaseSensitive(com.google.protobuf.BoolValue.of(false));
    new MatchCase()
        .patchRoute(
            prefix,
            new io.gangway.model.Route(
                "r",
                new RouteMatch(PathMatch.prefix("/A"), true, List.of(), List.of(), List.of()),
                new RouteAction.DirectResponse(200, ""),
                SourceRef.file("f"),
                io.gangway.model.policy.Policies.none()));
    assertThat(prefix.getMatch().getCaseSensitive().getValue()).isFalse();
    assertThat(prefix.getMatch().getPathSeparatedPrefix()).isEqualTo("/A");
  }
}
