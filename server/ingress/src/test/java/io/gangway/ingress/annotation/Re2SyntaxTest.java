package io.gangway.ingress.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Re2SyntaxTest {

  @Test
  void patternsRe2AcceptsPass() {
    for (String ok : new String[] {"v[0-9]+(\\.[0-9]+)?", "(?P<v>[a-z]+)", "(?i)abc", "[(?=]x", "a\\+b", "\\Q(?=\\E",
        "a{2,3}?", "(?:a|b)*", "[]a]"}) {
      assertThat(Re2Syntax.problem(ok)).as(ok).isEmpty();
    }
  }

  @Test
  void constructsRe2LacksAreRejectedWithTheReason() {
    assertThat(Re2Syntax.problem("(a)\\1")).get().asString().contains("backreference");
    assertThat(Re2Syntax.problem("a(?!b)")).get().asString().contains("lookaround");
    assertThat(Re2Syntax.problem("(?<=a)b")).get().asString().contains("lookaround");
    assertThat(Re2Syntax.problem("(?>a)")).get().asString().contains("atomic");
    assertThat(Re2Syntax.problem("a*+")).get().asString().contains("possessive");
    assertThat(Re2Syntax.problem("a\\Z")).get().asString().contains("\\Z");
  }

  @Test
  void syntaxErrorsAreRejected() {
    assertThat(Re2Syntax.problem("a(b")).get().asString().contains("Unclosed group");
    assertThat(Re2Syntax.problem("*a")).isPresent();
  }
}
