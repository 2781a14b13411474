package io.gangway.ingress.annotation;

import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code Re2Syntax} checks that a pattern is one Envoy accepts: Envoy compiles {@code safe_regex} with
 * RE2 and rejects the whole route configuration (a NACK) on a pattern it cannot compile. No RE2 library
 * is available to the build, so the check is {@link java.util.regex.Pattern} (general syntax) plus a scan
 * for the Java/PCRE constructs RE2 does not have: backreferences, lookaround, atomic groups, possessive
 * quantifiers, {@code \G} and {@code \Z}. RE2's {@code (?P<name>...)} is accepted. Known gap: a few
 * patterns both accept with different meanings (POSIX classes such as {@code [[:alpha:]]}) or that only
 * RE2 rejects for size are not detected. Thread-safe (stateless).
 */
public final class Re2Syntax {

  private Re2Syntax() {}

  /** Returns why {@code regex} is not a valid RE2 pattern, or empty when it is. */
  public static Optional<String> problem(String regex) {
    Optional<String> unsupported = unsupportedConstruct(regex);
    if (unsupported.isPresent()) {
      return unsupported;
    }
    try {
      Pattern.compile(regex.replace("(?P<", "(?<"));
      return Optional.empty();
    } catch (PatternSyntaxException e) {
      return Optional.of(e.getDescription() + " near index " + e.getIndex());
    }
  }

  private static Optional<String> unsupportedConstruct(String r) {
    boolean inClass = false;
    for (int i = 0; i < r.length(); i++) {
      char c = r.charAt(i);
      if (c == '\\' && i + 1 < r.length()) {
        char n = r.charAt(i + 1);
        if (!inClass && n >= '1' && n <= '9') {
          return Optional.of("backreference \\" + n + " (RE2 has none)");
        }
        if (!inClass && (n == 'k' || n == 'G' || n == 'Z')) {
          return Optional.of("\\" + n + " (not supported by RE2)");
        }
        if (n == 'Q') {
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
        for (String s : new String[] {"(?=", "(?!", "(?<=", "(?<!", "(?>"}) {
          if (r.startsWith(s, i)) {
            return Optional.of((s.equals("(?>") ? "atomic group " : "lookaround ") + s + " (not supported by RE2)");
          }
        }
      }
      if ((c == '*' || c == '+' || c == '?' || c == '}') && i + 1 < r.length() && r.charAt(i + 1) == '+'
          && !(c == '?' && i > 0 && r.charAt(i - 1) == '(')) {
        return Optional.of("possessive quantifier " + c + "+ (not supported by RE2)");
      }
    }
    return Optional.empty();
  }
}
