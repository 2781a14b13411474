package io.gangway.xds.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CorsTest {

  private static CorsPolicy policy(String... origins) {
    return Cors.policy(
        new io.gangway.model.policy.Cors(
            List.of(origins), List.of("GET"), List.of(), List.of(), false, 0));
  }

  @Test
  void wildcardOrigin_keepsTheHostOnly_withEveryMetacharacterEscaped() {
    StringMatcher m = policy("https://*.foo-bar.com:8443").getAllowOriginStringMatch(0);

    assertThat(m.getSafeRegex().getRegex()).isEqualTo(".*\\.foo-bar\\.com:8443");
    Pattern full = Pattern.compile(m.getSafeRegex().getRegex());
    assertThat(full.matcher("https://a.foo-bar.com:8443").matches()).isTrue();
    assertThat(full.matcher("http://a.foo-bar.com:8443").matches())
        .as("the scheme is dropped, as in Higress")
        .isTrue();
    assertThat(full.matcher("https://a.fooXbar.com:8443").matches()).isFalse();
    assertThat(full.matcher("https://axfoo-bar.com:8443").matches())
        .as("the dot is literal")
        .isFalse();
  }

  @Test
  void starAndExactOrigins_becomeAnyRegexAndExactMatchers() {
    CorsPolicy p = policy("*", "https://a.example.com");

    assertThat(p.getAllowOriginStringMatch(0).getSafeRegex().getRegex()).isEqualTo(".*");
    assertThat(p.getAllowOriginStringMatch(1).getExact()).isEqualTo("https://a.example.com");
    assertThat(p.getMaxAge()).isEqualTo("0");
    assertThat(p.getAllowCredentials().getValue()).isFalse();
  }
}
