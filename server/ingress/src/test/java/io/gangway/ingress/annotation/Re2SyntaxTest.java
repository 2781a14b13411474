package io.gangway.ingress.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Re2SyntaxTest {

  @Test
  void patternsRe2AcceptsPass() {
    for (String ok :
        new String[] {
          "v[0-9]+(\\.[0-9]+)?",
          "(?P<v>[a-z]+)",
          "(?i)abc",
          "[(?=]x",
          "a\\+b",
          "\\Q(?=\\E",
          "a{2,3}?",
          "(?:a|b)*",
          "[]a]",
          "\\v",
          "\\p{Lu}",
          "\\p{Greek}",
          "\\x{41}",
          "\\0101",
          "\\12",
          "(?U)a",
          "(?i:a)",
          "(?<v>a)",
          "a\\z",
          "\\pL"
        }) {
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
    // Each of these was checked against Envoy 1.39.3 (--mode validate): RE2 rejects them, Java
    // accepts them.
    for (String bad :
        new String[] {
          "\\G",
          "\\h",
          "\\R",
          "\\e",
          "\\ca",
          "\\u0041",
          "(?x)a",
          "(?u)a",
          "\\p{javaLowerCase}",
          "\\p{Lower}",
          "(?<!a)b",
          "[\\b]",
          "(?P=n)"
        }) {
      assertThat(Re2Syntax.problem(bad)).as(bad).isPresent();
    }
  }

  @Test
  void syntaxErrorsAreRejected() {
    assertThat(Re2Syntax.problem("a(b")).get().asString().contains("Unclosed group");
    assertThat(Re2Syntax.problem("*a")).isPresent();
  }
}
