package io.gangway.model;

import static java.util.Objects.requireNonNull;

/**
 * {@code NamedMatch} matches the value of one named request header (pseudo-headers such as {@code
 * :authority} included) or query parameter.
 *
 * @param name the header name (lower case) or the query parameter name (as written)
 * @param match how its value must match
 */
public record NamedMatch(String name, StringMatch match) implements Comparable<NamedMatch> {

  /** Validates the parts. */
  public NamedMatch {
    requireNonNull(name, "name");
    requireNonNull(match, "match");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: '' (expected: a header or parameter name)");
    }
  }

  @Override
  public int compareTo(NamedMatch o) {
    return toString().compareTo(o.toString());
  }

  @Override
  public String toString() {
    return name + " " + match;
  }
}
