package io.gangway.model.policy;

import static java.util.Objects.requireNonNull;

/**
 * {@code RequestHash} is what a route hashes to pick an endpoint of a consistent-hash cluster
 * ({@link LoadBalancer.Algorithm#CONSISTENT_HASH}): a header (pseudo-headers such as {@code :path}
 * included), a query parameter, the client address, or a cookie the gateway sets when the request
 * has none (cookie affinity). Requests with equal keys go to the same endpoint while the endpoints
 * do not change.
 *
 * @param source what is hashed
 * @param name the header name (lower case), the query parameter or the cookie name; empty for
 *     {@link Source#SOURCE_IP}
 * @param cookiePath the {@code Path} of a generated cookie; empty unless {@link Source#COOKIE}
 * @param cookieMaxAgeSeconds the lifetime of a generated cookie, 0 for a session cookie; 0 unless
 *     {@link Source#COOKIE}
 */
public record RequestHash(Source source, String name, String cookiePath, long cookieMaxAgeSeconds)
    implements Policy {

  /** What a route hashes. */
  public enum Source {
    HEADER,
    QUERY_PARAMETER,
    SOURCE_IP,
    COOKIE
  }

  /** Validates the parts. */
  public RequestHash {
    requireNonNull(source, "source");
    requireNonNull(name, "name");
    requireNonNull(cookiePath, "cookiePath");
    if (name.isEmpty() != (source == Source.SOURCE_IP)) {
      throw new IllegalArgumentException(
          "name: '" + name + "' (expected: a name unless SOURCE_IP)");
    }
    if (cookieMaxAgeSeconds < 0) {
      throw new IllegalArgumentException(
          "cookieMaxAgeSeconds: " + cookieMaxAgeSeconds + " (expected: >= 0)");
    }
  }

  /** Returns a hash of header {@code name} (lower-cased). */
  public static RequestHash header(String name) {
    return new RequestHash(Source.HEADER, name.toLowerCase(java.util.Locale.ROOT), "", 0);
  }

  /** Returns a hash of query parameter {@code name}. */
  public static RequestHash queryParameter(String name) {
    return new RequestHash(Source.QUERY_PARAMETER, name, "", 0);
  }

  /** Returns a hash of the client address. */
  public static RequestHash sourceIp() {
    return new RequestHash(Source.SOURCE_IP, "", "", 0);
  }

  /**
   * Returns a hash of cookie {@code name}, generated with {@code path} and {@code maxAgeSeconds}
   * when absent.
   */
  public static RequestHash cookie(String name, String path, long maxAgeSeconds) {
    return new RequestHash(Source.COOKIE, name, path, maxAgeSeconds);
  }

  /**
   * Returns e.g. {@code RequestHash[header :path]} or {@code RequestHash[cookie INGRESSCOOKIE
   * path=/ max-age=0s]}.
   */
  @Override
  public String toString() {
    String kind = source.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    return switch (source) {
      case SOURCE_IP -> "RequestHash[" + kind + "]";
      case COOKIE ->
          "RequestHash["
              + kind
              + " "
              + name
              + " path="
              + cookiePath
              + " max-age="
              + cookieMaxAgeSeconds
              + "s]";
      default -> "RequestHash[" + kind + " " + name + "]";
    };
  }
}
