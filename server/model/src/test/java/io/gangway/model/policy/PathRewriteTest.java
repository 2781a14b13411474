package io.gangway.model.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gangway.model.PathMatch;
import org.junit.jupiter.api.Test;

class PathRewriteTest {

  private static final PathRewrite TARGET = new PathRewrite(PathRewrite.Kind.TARGET, "/\\1");

  @Test
  void target_onAnExactPath_usesThePathUnanchored() {
    assertThat(TARGET.rule(PathMatch.exact("/a"))).isEqualTo(new PathRewrite.Rule("/a", "/\\1"));
  }

  @Test
  void target_onAPrefix_usesCaretAndHigressPrefixWithItsSlash() {
    assertThat(TARGET.rule(PathMatch.prefix("/a")).pattern()).isEqualTo("^/a/");
    assertThat(TARGET.rule(PathMatch.prefix("/")).pattern()).isEqualTo("^/");
  }

  @Test
  void target_onARegex_usesTheRegex() {
    assertThat(TARGET.rule(PathMatch.regex("/a/(.*).*")).pattern()).isEqualTo("/a/(.*).*");
  }

  @Test
  void prefixRewrite_onExactOrRegex_replacesTheWholePath() {
    PathRewrite p = new PathRewrite(PathRewrite.Kind.PREFIX, "/v2");
    assertThat(p.rule(PathMatch.exact("/a")).regex()).isFalse();
    assertThat(p.rule(PathMatch.regex("/a.*"))).isEqualTo(new PathRewrite.Rule("", "/v2"));
  }

  @Test
  void prefixRewrite_onAPrefix_keepsTheRestAfterOneSlash() {
    assertThat(new PathRewrite(PathRewrite.Kind.PREFIX, "/v2").rule(PathMatch.prefix("/v1.0")))
        .as("the prefix is quoted")
        .isEqualTo(new PathRewrite.Rule("^/v1\\.0(/.*)?", "/v2\\1"));
    assertThat(new PathRewrite(PathRewrite.Kind.PREFIX, "/v2/").rule(PathMatch.prefix("/v1")))
        .isEqualTo(new PathRewrite.Rule("^/v1/?", "/v2/"));
    assertThat(new PathRewrite(PathRewrite.Kind.PREFIX, "/app").rule(PathMatch.prefix("/")))
        .isEqualTo(new PathRewrite.Rule("^(/.*)?", "/app\\1"));
  }

  @Test
  void redirectRecords_rejectWhatEnvoyCannotSend() {
    assertThatThrownBy(() -> new UrlRedirect("ftp", "h", 0, "", 301))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new UrlRedirect("https", "h", 0, "", 305))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AppRoot("app")).isInstanceOf(IllegalArgumentException.class);
  }
}
