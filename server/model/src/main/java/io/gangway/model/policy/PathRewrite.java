package io.gangway.model.policy;

import static java.util.Objects.requireNonNull;

import io.gangway.model.PathMatch;

/**
 * {@code PathRewrite} rewrites the request path before it is forwarded, as Higress's {@code
 * rewrite.go}: {@code rewrite-target} ({@link Kind#TARGET}) substitutes the part of the path the
 * route's match names, {@code higress.io/rewrite-path} ({@link Kind#PREFIX}) replaces the matched
 * prefix. {@link #rule} derives the Envoy rewrite from the route's final match, so the parser and
 * the xDS feature agree on it.
 *
 * @param kind how {@code value} is applied
 * @param value for {@link Kind#TARGET} an RE2 substitution ({@code $n} already turned into {@code
 *     \n}); for {@link Kind#PREFIX} the replacement path
 */
public record PathRewrite(Kind kind, String value) implements Policy {

  /** How the rewrite is applied. */
  public enum Kind {
    /** {@code rewrite-target}: a regex substitution over the matched part. */
    TARGET,
    /** {@code rewrite-path}: prefix replacement. */
    PREFIX
  }

  /**
   * An Envoy path rewrite: a regex substitution ({@code pattern} non-empty), or, when {@code
   * pattern} is empty, a {@code prefix_rewrite} to {@code substitution}.
   *
   * @param pattern RE2 pattern for {@code regex_rewrite}; empty for {@code prefix_rewrite}
   * @param substitution the substitution, or the prefix replacement
   */
  public record Rule(String pattern, String substitution) {

    /** Returns whether this is a {@code regex_rewrite}. */
    public boolean regex() {
      return !pattern.isEmpty();
    }
  }

  /** Validates the parts. */
  public PathRewrite {
    requireNonNull(kind, "kind");
    requireNonNull(value, "value");
  }

  /**
   * Returns the rewrite for a route matching {@code path}. {@link Kind#TARGET}: the pattern is the
   * exact path (unanchored, as Higress), {@code ^} and Higress's prefix (which ends in {@code /}),
   * or the regex. {@link Kind#PREFIX}: an exact or regex match is replaced whole; a prefix {@code
   * /p} becomes {@code ^/p(/.*)?} → {@code <value>\1}, or {@code ^/p/?} → {@code <value>} when the
   * value ends in {@code /} (so {@code /p/x} gives {@code <value>x}, never a double slash).
   */
  public Rule rule(PathMatch path) {
    return switch (kind) {
      case TARGET ->
          switch (path.kind()) {
            case EXACT -> new Rule(path.value(), value);
            case PREFIX ->
                new Rule("^" + (path.value().equals("/") ? "/" : path.value() + "/"), value);
            case REGEX -> new Rule(path.value(), value);
          };
      case PREFIX -> {
        if (path.kind() != PathMatch.Kind.PREFIX) {
          yield new Rule("", value);
        }
        String p = path.value().equals("/") ? "" : quote(path.value());
        yield value.endsWith("/")
            ? new Rule("^" + p + "/?", value)
            : new Rule("^" + p + "(/.*)?", value + "\\1");
      }
    };
  }

  /** Returns {@code s} with every RE2 metacharacter escaped. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }
}
