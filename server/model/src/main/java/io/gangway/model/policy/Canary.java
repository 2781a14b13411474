package io.gangway.model.policy;

import static java.util.Objects.requireNonNull;

import io.gangway.model.NamedMatch;
import io.gangway.model.StringMatch;
import java.util.Optional;

/**
 * {@code Canary} marks an Ingress as a canary of the main Ingress with the same rule key (the
 * {@code canary*} annotations): either a header canary (requests whose header or cookie matches go
 * to the canary's backends, through a route in front of the main one) or a weight canary (a share
 * of the main route's traffic goes to them). Exactly one of the two, as Higress parses it: header
 * value, then header pattern, then cookie, then weight; any header or cookie makes it a header
 * canary.
 *
 * @param header the request header name (lower case), or empty
 * @param headerValue with {@code header}: an RE2 alternative to {@code always}, or empty
 * @param headerPattern with {@code header} and no {@code headerValue}: an RE2 pattern the value
 *     must contain, or empty
 * @param cookie a cookie name that must be {@code always} (used only without {@code header}), or
 *     empty
 * @param weight the weight-canary share, out of {@code weightTotal}; ignored by a header canary
 * @param weightTotal what {@code weight} is out of (default 100)
 */
public record Canary(
    String header,
    String headerValue,
    String headerPattern,
    String cookie,
    int weight,
    int weightTotal)
    implements Policy {

  /** The default of {@code canary-weight-total}. */
  public static final int DEFAULT_WEIGHT_TOTAL = 100;

  /** Validates the parts. */
  public Canary {
    requireNonNull(header, "header");
    requireNonNull(headerValue, "headerValue");
    requireNonNull(headerPattern, "headerPattern");
    requireNonNull(cookie, "cookie");
    if (weight < 0) {
      throw new IllegalArgumentException("weight: " + weight + " (expected: >= 0)");
    }
    if (weightTotal < 1) {
      throw new IllegalArgumentException("weightTotal: " + weightTotal + " (expected: >= 1)");
    }
  }

  /** Returns a weight canary: {@code weight} out of {@code weightTotal}. */
  public static Canary byWeight(int weight, int weightTotal) {
    return new Canary("", "", "", "", weight, weightTotal);
  }

  /** Returns whether requests are chosen by a header or cookie (the weight is then ignored). */
  public boolean byHeader() {
    return !header.isEmpty() || !cookie.isEmpty();
  }

  /**
   * Returns the request condition of a header canary, as Higress builds it: header {@code ==
   * always}; with a value, regex {@code always|<value>}; with a pattern, regex {@code
   * .*<pattern>.*}; for a cookie, the {@code cookie} header with {@code <name>=always} among its
   * pairs. Empty for a weight canary.
   */
  public Optional<NamedMatch> match() {
    if (!header.isEmpty()) {
      if (!headerValue.isEmpty()) {
        return Optional.of(
            new NamedMatch(
                header, new StringMatch(StringMatch.Kind.REGEX, "always|" + headerValue)));
      }
      if (!headerPattern.isEmpty()) {
        return Optional.of(
            new NamedMatch(
                header, new StringMatch(StringMatch.Kind.REGEX, ".*" + headerPattern + ".*")));
      }
      return Optional.of(new NamedMatch(header, new StringMatch(StringMatch.Kind.EXACT, "always")));
    }
    if (!cookie.isEmpty()) {
      return Optional.of(
          new NamedMatch(
              "cookie",
              new StringMatch(
                  StringMatch.Kind.REGEX, "^(.*?;\\s*)?(" + literal(cookie) + "=always)(;.*)?$")));
    }
    return Optional.empty();
  }

  /**
   * Escapes every regex metacharacter of {@code s} (a cookie name may hold {@code . * + ^ | $}).
   */
  private static String literal(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ("\\^$.|?*+()[]{}".indexOf(c) >= 0) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }

  /** Returns {@code Canary[header <match>]} or {@code Canary[weight <w>/<total>]}. */
  @Override
  public String toString() {
    return match()
        .map(m -> "Canary[header " + m + "]")
        .orElse("Canary[weight " + weight + "/" + weightTotal + "]");
  }
}
