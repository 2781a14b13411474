package io.gangway.model;

import static java.util.Objects.requireNonNull;

/**
 * {@code PathMatch} is how a route matches the request path.
 *
 * @param kind exact, segment-aware prefix, or regular expression
 * @param value the path or pattern; for {@link Kind#PREFIX} it never ends in {@code /} except for
 *     the root prefix {@code /}
 */
public record PathMatch(Kind kind, String value) {

  /** The match kinds, in Higress's precedence order (exact before prefix before regex). */
  public enum Kind {
    EXACT,
    PREFIX,
    REGEX
  }

  /** Validates the value. */
  public PathMatch {
    requireNonNull(kind, "kind");
    requireNonNull(value, "value");
    if (kind == Kind.PREFIX && value.length() > 1 && value.endsWith("/")) {
      throw new IllegalArgumentException("prefix: " + value + " (expected: no trailing slash)");
    }
  }

  /** Matches the path exactly. */
  public static PathMatch exact(String path) {
    return new PathMatch(Kind.EXACT, path);
  }

  /**
   * Matches {@code path} and everything below it segment by segment: {@code /foo} matches {@code
   * /foo} and {@code /foo/x} but not {@code /foobar}. A trailing slash is dropped ({@code /foo/} is
   * {@code /foo}).
   */
  public static PathMatch prefix(String path) {
    String p = path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return new PathMatch(Kind.PREFIX, p);
  }

  /** Matches the whole path against an RE2 regular expression. */
  public static PathMatch regex(String pattern) {
    return new PathMatch(Kind.REGEX, pattern);
  }
}
