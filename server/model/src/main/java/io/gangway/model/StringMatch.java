package io.gangway.model;

import static java.util.Objects.requireNonNull;

/**
 * {@code StringMatch} is how a header or query-parameter value is matched.
 *
 * @param kind exact, prefix, or RE2 regular expression over the whole value
 * @param value the string or pattern
 */
public record StringMatch(Kind kind, String value) {

  /** The match kinds. */
  public enum Kind {
    EXACT,
    PREFIX,
    REGEX
  }

  /** Validates the parts. */
  public StringMatch {
    requireNonNull(kind, "kind");
    requireNonNull(value, "value");
  }

  /** Returns {@code kind value}, lower case kind, as golden files and diagnostics print it. */
  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + value;
  }
}
