package io.gangway.model.policy;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * {@code Cors} answers CORS preflights at the edge and adds the CORS response headers to the
 * route's responses (the {@code enable-cors} and {@code cors-*} annotations), with Higress's
 * defaults filled in.
 *
 * @param allowOrigins the allowed origins as written: {@code *} (any origin), {@code
 *     scheme://*.domain} (any origin whose host ends with {@code .domain}, whatever its scheme, as
 *     in Higress), or an exact origin; an empty list allows none
 * @param allowMethods the methods a preflight allows ({@code *} alone for any)
 * @param allowHeaders the request headers a preflight allows ({@code *} alone for any)
 * @param exposeHeaders the response headers a page may read; empty for none
 * @param allowCredentials whether credentials (cookies, authorization) may be sent
 * @param maxAgeSeconds how long a browser may cache a preflight answer
 */
public record Cors(
    List<String> allowOrigins,
    List<String> allowMethods,
    List<String> allowHeaders,
    List<String> exposeHeaders,
    boolean allowCredentials,
    int maxAgeSeconds)
    implements Policy {

  /** Higress's default {@code cors-allow-methods}. */
  public static final List<String> DEFAULT_METHODS =
      List.of("GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS");

  /** Higress's default {@code cors-allow-headers}. */
  public static final List<String> DEFAULT_HEADERS =
      List.of(
          "DNT",
          "X-CustomHeader",
          "Keep-Alive",
          "User-Agent",
          "X-Requested-With",
          "If-Modified-Since",
          "Cache-Control",
          "Content-Type",
          "Authorization");

  /** Higress's default {@code cors-max-age}: 20 days. */
  public static final int DEFAULT_MAX_AGE_SECONDS = 1_728_000;

  /** Copies the lists and validates the age. */
  public Cors {
    allowOrigins = List.copyOf(requireNonNull(allowOrigins, "allowOrigins"));
    allowMethods = List.copyOf(requireNonNull(allowMethods, "allowMethods"));
    allowHeaders = List.copyOf(requireNonNull(allowHeaders, "allowHeaders"));
    exposeHeaders = List.copyOf(requireNonNull(exposeHeaders, "exposeHeaders"));
    if (maxAgeSeconds < 0) {
      throw new IllegalArgumentException("maxAgeSeconds: " + maxAgeSeconds + " (expected: >= 0)");
    }
  }

  /**
   * Returns Higress's defaults: any origin, the default methods and headers, credentials, 20 days.
   */
  public static Cors defaults() {
    return new Cors(
        List.of("*"), DEFAULT_METHODS, DEFAULT_HEADERS, List.of(), true, DEFAULT_MAX_AGE_SECONDS);
  }
}
