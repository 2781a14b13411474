package io.gangway.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PathMatchTest {

  @Test
  void prefix_trailingSlash_isDropped() {
    assertThat(PathMatch.prefix("/foo/")).isEqualTo(new PathMatch(PathMatch.Kind.PREFIX, "/foo"));
    assertThat(PathMatch.prefix("/foo")).isEqualTo(PathMatch.prefix("/foo/"));
  }

  @Test
  void prefix_severalTrailingSlashes_areAllDropped() {
    assertThat(PathMatch.prefix("/foo///").value()).isEqualTo("/foo");
  }

  @Test
  void prefix_root_staysRoot() {
    assertThat(PathMatch.prefix("/").value()).isEqualTo("/");
    assertThat(PathMatch.prefix("//").value()).isEqualTo("/");
  }

  @Test
  void prefix_innerSlashes_areKept() {
    assertThat(PathMatch.prefix("/a/b/").value()).isEqualTo("/a/b");
  }

  @Test
  void constructor_prefixWithTrailingSlash_isRejected() {
    assertThatThrownBy(() -> new PathMatch(PathMatch.Kind.PREFIX, "/foo/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("prefix: /foo/ (expected: no trailing slash)");
  }

  @Test
  void exact_trailingSlash_isSignificant() {
    assertThat(PathMatch.exact("/foo/")).isNotEqualTo(PathMatch.exact("/foo"));
    assertThat(PathMatch.exact("/foo/").value()).isEqualTo("/foo/");
  }

  @Test
  void kinds_areInHigressPrecedenceOrder() {
    assertThat(PathMatch.Kind.values())
        .containsExactly(PathMatch.Kind.EXACT, PathMatch.Kind.PREFIX, PathMatch.Kind.REGEX);
  }

  @Test
  void constructor_null_isRejectedWithTheName() {
    assertThatThrownBy(() -> new PathMatch(null, "/"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("kind");
    assertThatThrownBy(() -> PathMatch.exact(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("value");
  }
}
