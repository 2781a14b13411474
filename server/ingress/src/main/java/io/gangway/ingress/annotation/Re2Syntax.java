package io.gangway.ingress.annotation;

import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code Re2Syntax} checks that a pattern is one Envoy accepts: Envoy compiles {@code safe_regex}
 * with RE2 and rejects the whole route configuration (a NACK) on a pattern it cannot compile. No
 * RE2 library is available to the build, so the check is {@link java.util.regex.Pattern} (general
 * syntax) plus a scan for the Java/PCRE constructs RE2 does not have, each checked against Envoy
 * 1.39's RE2: backreferences, lookaround, atomic groups, possessive quantifiers, escapes RE2 lacks
 * ({@code \G}, {@code \Z}, {@code \h}, {@code \R}, {@code \e}…), Java-only {@code \p{...}} names
 * and flags other than {@code imsU}. RE2's {@code (?P<name>...)} is accepted. Known gap: patterns
 * both accept with different meanings (RE2's POSIX classes such as {@code [[:alpha:]]}, Java's
 * {@code &&} in classes), an unknown Unicode class name ({@code \p{Foo}}), or patterns RE2 rejects
 * only for their size are not detected. Thread-safe (stateless).
 */
public final class Re2Syntax {

  private static final Pattern UNICODE_CLASS = Pattern.compile("\\\\[pP]\\{[^}]*\\}");

  private Re2Syntax() {}

  /** Returns why {@code regex} is not a valid RE2 pattern, or empty when it is. */
  public static Optional<String> problem(String regex) {
    Optional<String> unsupported = unsupportedConstruct(regex);
    if (unsupported.isPresent()) {
      return unsupported;
    }
    try {
      // Java spells named groups (?<n>) only, and knows other Unicode class names (\p{IsGreek}):
      // the names
      // were screened above, so Java checks the rest of the syntax with a class it knows.
      Pattern.compile(UNICODE_CLASS.matcher(regex.replace("(?P<", "(?<")).replaceAll("\\\\p{L}"));
      return Optional.empty();
    } catch (PatternSyntaxException e) {
      return Optional.of(e.getDescription() + " near index " + e.getIndex());
    }
  }

  /**
   * Escapes RE2 knows, besides punctuation: Perl classes, assertions, control characters, hex,
   * Unicode.
   */
  private static final String RE2_ESCAPES = "afntrvxpPdDsSwWbBAzCQE0";

  /** Java-only {@code \p{...}} names RE2 does not know. */
  private static final java.util.Set<String> JAVA_CLASS_NAMES =
      java.util.Set.of(
          "Lower", "Upper", "ASCII", "Alpha", "Digit", "Alnum", "Punct", "Graph", "Print", "Blank",
          "Cntrl", "XDigit", "Space");

  private static Optional<String> unsupportedConstruct(String r) {
    boolean inClass = false;
    for (int i = 0; i < r.length(); i++) {
      char c = r.charAt(i);
      if (c == '\\' && i + 1 < r.length()) {
        char n = r.charAt(i + 1);
        if (n >= '1' && n <= '9') {
          // RE2 reads \1 to \7 followed by an octal digit as an octal code; alone it is a
          // backreference.
          boolean octal =
              n <= '7' && i + 2 < r.length() && r.charAt(i + 2) >= '0' && r.charAt(i + 2) <= '7';
          if (!octal) {
            return Optional.of("backreference \\" + n + " (RE2 has none)");
          }
        } else if ((Character.isLetterOrDigit(n) && RE2_ESCAPES.indexOf(n) < 0)
            || (inClass && "bBAzC".indexOf(n) >= 0)) {
          return Optional.of("escape \\" + n + " (not supported by RE2)");
        } else if ((n == 'p' || n == 'P') && r.startsWith("{", i + 2)) {
          int close = r.indexOf('}', i + 3);
          String name = close < 0 ? "" : r.substring(i + 3, close);
          String bare = name.startsWith("^") ? name.substring(1) : name;
          if (bare.startsWith("java")
              || bare.startsWith("Is")
              || bare.startsWith("In")
              || bare.contains("=")
              || JAVA_CLASS_NAMES.contains(bare)) {
            return Optional.of(
                "character class \\"
                    + n
                    + "{"
                    + name
                    + "} (Java only; RE2 knows Unicode"
                    + " categories and scripts such as \\p{L} or \\p{Greek})");
          }
        } else if (n == 'Q') {
          int end = r.indexOf("\\E", i + 2);
          i = end < 0 ? r.length() : end + 1;
          continue;
        }
        i++;
        continue;
      }
      if (inClass) {
        if (c == ']') {
          inClass = false;
        }
        continue;
      }
      if (c == '[') {
        inClass = true;
        // A ']' right after '[' or '[^' is a literal.
        if (i + 1 < r.length() && r.charAt(i + 1) == '^') {
          i++;
        }
        if (i + 1 < r.length() && r.charAt(i + 1) == ']') {
          i++;
        }
        continue;
      }
      if (c == '(' && r.startsWith("(?", i)) {
        Optional<String> group = group(r, i + 2);
        if (group.isPresent()) {
          return group;
        }
      }
      if ((c == '*' || c == '+' || c == '?' || c == '}')
          && i + 1 < r.length()
          && r.charAt(i + 1) == '+'
          && !(c == '?' && i > 0 && r.charAt(i - 1) == '(')) {
        return Optional.of("possessive quantifier " + c + "+ (not supported by RE2)");
      }
    }
    return Optional.empty();
  }

  /**
   * Checks what follows {@code (?} at {@code at}: a named or non-capturing group, or RE2's flags.
   */
  private static Optional<String> group(String r, int at) {
    for (String s : new String[] {"=", "!", "<=", "<!", ">"}) {
      if (r.startsWith(s, at)) {
        return Optional.of(
            (s.equals(">") ? "atomic group (?" : "lookaround (?") + s + " (not supported by RE2)");
      }
    }
    if (r.startsWith("P<", at) || r.startsWith("<", at) || r.startsWith(":", at)) {
      return Optional.empty();
    }
    for (int j = at; j < r.length() && r.charAt(j) != ')' && r.charAt(j) != ':'; j++) {
      if ("imsU-".indexOf(r.charAt(j)) < 0) {
        return Optional.of(
            "flag '" + r.charAt(j) + "' in (?" + " (RE2 has the flags i, m, s and U)");
      }
    }
    return Optional.empty();
  }
}
