package io.gangway.ingress.annotation;

import io.gangway.model.policy.Canary;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code CanaryFamily} reads the canary annotations as Higress's {@code canary.go}: {@code canary:
 * true} makes the Ingress a canary ({@link Canary}), whose routes are not placed on their own but
 * merged into the main Ingress's routes by {@code io.gangway.ingress.CanaryMerge}. The kind is
 * decided in Higress's order: {@code canary-by-header} with {@code canary-by-header-value}, then
 * with {@code canary-by-header-pattern}, then the header alone, then {@code canary-by-cookie}, and
 * only without any of them {@code canary-weight} out of {@code canary-weight-total}. Every key that
 * loses is reported with a warning naming the one that wins.
 */
final class CanaryFamily implements AnnotationFamily {

  static final AnnotationKey CANARY = AnnotationKey.of("canary");
  static final AnnotationKey BY_HEADER = AnnotationKey.of("canary-by-header");
  static final AnnotationKey BY_HEADER_VALUE = AnnotationKey.of("canary-by-header-value");
  static final AnnotationKey BY_HEADER_PATTERN = AnnotationKey.of("canary-by-header-pattern");
  static final AnnotationKey BY_COOKIE = AnnotationKey.of("canary-by-cookie");
  static final AnnotationKey WEIGHT = AnnotationKey.of("canary-weight");
  static final AnnotationKey WEIGHT_TOTAL = AnnotationKey.of("canary-weight-total");

  private static final List<AnnotationKey> DETAILS =
      List.of(BY_HEADER, BY_HEADER_VALUE, BY_HEADER_PATTERN, BY_COOKIE, WEIGHT, WEIGHT_TOTAL);

  /** RFC 9110 token: header and cookie names. */
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  @Override
  public String name() {
    return "canary";
  }

  @Override
  public List<AnnotationKey> keys() {
    return List.of(
        CANARY, BY_HEADER, BY_HEADER_VALUE, BY_HEADER_PATTERN, BY_COOKIE, WEIGHT, WEIGHT_TOTAL);
  }

  @Override
  public void parse(Annotations a, IngressPolicies.Builder out) {
    if (!a.bool(CANARY).orElse(false)) {
      for (AnnotationKey k : DETAILS) {
        a.get(k)
            .ifPresent(
                v ->
                    a.warn(
                        v,
                        "ignored: the Ingress is not a canary ("
                            + Annotations.NGINX
                            + "canary is not true)"));
      }
      return;
    }
    String header =
        a.get(BY_HEADER)
            .map(v -> token(a, v, "an HTTP header name"))
            .orElse("")
            .toLowerCase(Locale.ROOT);
    Optional<Annotations.Value> value = a.get(BY_HEADER_VALUE).filter(v -> regex(a, v));
    Optional<Annotations.Value> pattern = a.get(BY_HEADER_PATTERN).filter(v -> regex(a, v));
    Optional<Annotations.Value> cookieValue = a.get(BY_COOKIE);
    String headerValue = "";
    String headerPattern = "";
    String cookie = "";
    if (!header.isEmpty()) {
      if (value.isPresent()) {
        headerValue = value.get().text();
        pattern.ifPresent(
            p -> a.warn(p, "ignored: " + value.get().key() + " takes precedence (as in Higress)"));
      } else if (pattern.isPresent()) {
        headerPattern = pattern.get().text();
      }
      cookieValue.ifPresent(
          c ->
              a.warn(
                  c,
                  "ignored: the header canary (canary-by-header) takes precedence"
                      + " over the cookie (as in Higress)"));
    } else {
      value.ifPresent(
          v -> a.warn(v, "ignored: it needs canary-by-header (the header it applies to)"));
      pattern.ifPresent(
          v -> a.warn(v, "ignored: it needs canary-by-header (the header it applies to)"));
      cookie = cookieValue.map(v -> token(a, v, "a cookie name")).orElse("");
    }
    if (!header.isEmpty() || !cookie.isEmpty()) {
      for (AnnotationKey k : List.of(WEIGHT, WEIGHT_TOTAL)) {
        a.get(k)
            .ifPresent(
                v ->
                    a.warn(
                        v,
                        "ignored: a header or cookie canary takes precedence; matching requests"
                            + " all go to the canary, the others to the main route (as in Higress; unlike ingress-nginx, the"
                            + " weight does not apply to the other requests)"));
      }
      out.route(
          new Canary(header, headerValue, headerPattern, cookie, 0, Canary.DEFAULT_WEIGHT_TOTAL));
      return;
    }
    int weight = a.integer(WEIGHT, 0, Integer.MAX_VALUE).orElse(0);
    int total = a.integer(WEIGHT_TOTAL, 1, Integer.MAX_VALUE).orElse(Canary.DEFAULT_WEIGHT_TOTAL);
    out.route(Canary.byWeight(weight, total));
  }

  private static String token(Annotations a, Annotations.Value v, String expected) {
    if (TOKEN.matcher(v.text()).matches()) {
      return v.text();
    }
    a.invalid(v, expected);
    return "";
  }

  /**
   * Checks the value compiles as a regular expression (Java's syntax is close to RE2's for what a
   * header value needs); an invalid one would make Envoy reject the whole route table.
   */
  private static boolean regex(Annotations a, Annotations.Value v) {
    try {
      Pattern.compile(v.text());
      if (v.text().contains("\n")) {
        a.invalid(v, "a single-line regular expression");
        return false;
      }
      return true;
    } catch (PatternSyntaxException e) {
      a.invalid(v, "an RE2 regular expression");
      return false;
    }
  }
}
