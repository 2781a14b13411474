package io.gangway.ingress.annotation;

import io.gangway.model.policy.Cors;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code CorsFamily} reads {@code enable-cors} and the {@code cors-*} keys as Higress's {@code
 * cors.go}: with {@code enable-cors: true} every route of the Ingress gets a {@link Cors} policy,
 * each key that is absent (or invalid, with a warning) taking Higress's default. Lists are
 * comma-separated and an item {@code *} makes the whole list {@code *}. An origin with a {@code *}
 * must be {@code scheme://*<rest>} (Higress drops any other silently; Gangway warns). {@code
 * cors-*} keys without {@code enable-cors} are ignored, as in Higress, with a warning.
 */
final class CorsFamily implements AnnotationFamily {

  static final AnnotationKey ENABLE = AnnotationKey.of("enable-cors");
  static final AnnotationKey ALLOW_ORIGIN = AnnotationKey.of("cors-allow-origin");
  static final AnnotationKey ALLOW_METHODS = AnnotationKey.of("cors-allow-methods");
  static final AnnotationKey ALLOW_HEADERS = AnnotationKey.of("cors-allow-headers");
  static final AnnotationKey EXPOSE_HEADERS = AnnotationKey.of("cors-expose-headers");
  static final AnnotationKey ALLOW_CREDENTIALS = AnnotationKey.of("cors-allow-credentials");
  static final AnnotationKey MAX_AGE = AnnotationKey.of("cors-max-age");

  private static final List<AnnotationKey> SETTINGS =
      List.of(
          ALLOW_ORIGIN, ALLOW_METHODS, ALLOW_HEADERS, EXPOSE_HEADERS, ALLOW_CREDENTIALS, MAX_AGE);

  /** An HTTP token (RFC 9110): method and header names. */
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  /**
   * A wildcard origin Higress accepts: a scheme, then a host starting with {@code *} and no other
   * {@code *}.
   */
  private static final Pattern WILDCARD_ORIGIN =
      Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://\\*[^*/?#]*");

  @Override
  public String name() {
    return "cors";
  }

  @Override
  public List<AnnotationKey> keys() {
    List<AnnotationKey> keys = new ArrayList<>(List.of(ENABLE));
    keys.addAll(SETTINGS);
    return keys;
  }

  @Override
  public void parse(Annotations a, IngressPolicies.Builder out) {
    boolean present = a.has(ENABLE);
    boolean enabled = a.bool(ENABLE).orElse(false);
    if (!enabled) {
      if (!present) {
        for (AnnotationKey k : SETTINGS) {
          a.get(k)
              .ifPresent(
                  v ->
                      a.warn(
                          v, "ignored: CORS is off without enable-cors: \"true\" (as in Higress)"));
        }
      }
      return;
    }
    Cors d = Cors.defaults();
    List<String> origins = a.get(ALLOW_ORIGIN).map(v -> origins(a, v)).orElse(d.allowOrigins());
    List<String> methods =
        a.get(ALLOW_METHODS).map(v -> tokens(a, v, "method")).orElse(d.allowMethods());
    List<String> headers =
        a.get(ALLOW_HEADERS).map(v -> tokens(a, v, "header name")).orElse(d.allowHeaders());
    List<String> expose =
        a.get(EXPOSE_HEADERS).map(v -> tokens(a, v, "header name")).orElse(d.exposeHeaders());
    boolean credentials = a.bool(ALLOW_CREDENTIALS).orElse(d.allowCredentials());
    int maxAge = a.integer(MAX_AGE, 0, Integer.MAX_VALUE).orElse(d.maxAgeSeconds());
    out.route(new Cors(origins, methods, headers, expose, credentials, maxAge));
  }

  /**
   * Splits a comma-separated list, trimming items and dropping empty ones; any {@code *} item gives
   * {@code [*]}.
   */
  private static List<String> split(String text) {
    List<String> out = new ArrayList<>();
    for (String item : text.split(",", -1)) {
      String s = item.trim();
      if (s.equals("*")) {
        return List.of("*");
      }
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  private static List<String> origins(Annotations a, Annotations.Value v) {
    List<String> out = new ArrayList<>();
    for (String o : split(v.text())) {
      boolean valid =
          o.chars().noneMatch(Character::isWhitespace)
              && (o.equals("*") || !o.contains("*") || WILDCARD_ORIGIN.matcher(o).matches());
      if (valid) {
        out.add(o);
      } else {
        a.warn(
            v,
            "origin '"
                + o
                + "' ignored (expected: *, an exact origin, or scheme://*.domain, comma-separated)");
      }
    }
    if (out.isEmpty()) {
      a.warn(v, "no valid origin: CORS is on but allows no origin");
    }
    return out;
  }

  private static List<String> tokens(Annotations a, Annotations.Value v, String what) {
    List<String> out = new ArrayList<>();
    for (String t : split(v.text())) {
      if (TOKEN.matcher(t).matches()) {
        out.add(t);
      } else {
        a.warn(v, what + " '" + t + "' ignored (expected: an HTTP token)");
      }
    }
    return out;
  }
}
