package io.gangway.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gangway.model.policy.HttpsRedirect;
import io.gangway.model.policy.Policies;
import io.gangway.model.policy.Policy;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoliciesAndMatchTest {

  record Limit(int rps) implements Policy {}

  @Test
  void policies_holdOneValuePerType_theLaterReplacingTheEarlier() {
    Policies p = Policies.of(new Limit(1), new HttpsRedirect(), new Limit(5));
    assertThat(p.get(Limit.class)).contains(new Limit(5));
    assertThat(p.has(HttpsRedirect.class)).isTrue();
    assertThat(p.all()).hasSize(2);
    assertThat(p.without(Limit.class).get(Limit.class)).isEmpty();
    assertThat(Policies.none().get(Limit.class)).isEmpty();
  }

  @Test
  void policies_areEqualByContent_andWithAllLetsTheArgumentWin() {
    assertThat(Policies.of(new Limit(1), new HttpsRedirect()))
        .isEqualTo(Policies.of(new HttpsRedirect(), new Limit(1)))
        .hasSameHashCodeAs(Policies.of(new HttpsRedirect(), new Limit(1)))
        .isNotEqualTo(Policies.of(new Limit(2), new HttpsRedirect()));
    assertThat(Policies.of(new Limit(1)).withAll(Policies.of(new Limit(2))).get(Limit.class))
        .contains(new Limit(2));
    assertThat(Policies.of(new Limit(1), new HttpsRedirect()).toString())
        .isEqualTo("[HttpsRedirect[], Limit[rps=1]]");
  }

  @Test
  void routeMatch_withConditions_isNoCatchAll_andPrintsEveryCondition() {
    RouteMatch m =
        RouteMatch.of(PathMatch.prefix("/"))
            .withMethods(List.of("GET", "POST"))
            .withHeaders(
                List.of(
                    new NamedMatch("x-b", new StringMatch(StringMatch.Kind.EXACT, "1")),
                    new NamedMatch("x-a", new StringMatch(StringMatch.Kind.REGEX, "a.*"))))
            .withQueryParameters(
                List.of(new NamedMatch("q", new StringMatch(StringMatch.Kind.PREFIX, "v"))));
    assertThat(m.isCatchAll()).isFalse();
    assertThat(m.pathOnly()).isFalse();
    assertThat(m.toString())
        .isEqualTo(
            "prefix / [methods GET|POST] [header x-a regex a.*] [header x-b exact 1] [query q prefix v]");
    assertThat(m.withIgnoreCase(true).toString()).startsWith("prefix / [ignore-case]");
  }

  @Test
  void routeMatch_headersAreSorted_soTheOrderWrittenDoesNotMakeTwoRoutes() {
    NamedMatch a = new NamedMatch("a", new StringMatch(StringMatch.Kind.EXACT, "1"));
    NamedMatch b = new NamedMatch("b", new StringMatch(StringMatch.Kind.EXACT, "2"));
    RouteMatch path = RouteMatch.of(PathMatch.exact("/x"));
    assertThat(path.withHeaders(List.of(a, b))).isEqualTo(path.withHeaders(List.of(b, a)));
    assertThat(path.withHeaders(List.of(a)).replacingHeaders(List.of(b)).headers())
        .containsExactly(b);
  }

  @Test
  void namedMatch_needsAName() {
    assertThatThrownBy(() -> new NamedMatch("", new StringMatch(StringMatch.Kind.EXACT, "1")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
