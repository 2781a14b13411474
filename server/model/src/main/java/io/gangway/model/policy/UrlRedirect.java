package io.gangway.model.policy;

import static java.util.Objects.requireNonNull;

/**
 * {@code UrlRedirect} answers every request of a route with a redirect instead of routing it
 * ({@code permanent-redirect}, {@code temporal-redirect}), on every listener.
 *
 * @param scheme {@code http} or {@code https}
 * @param host the host of the {@code Location}
 * @param port the port of the {@code Location}; 0 for the scheme's default
 * @param path the path (and query) of the {@code Location}; empty keeps the request's path
 * @param code the status: 301, 302, 303, 307 or 308
 */
public record UrlRedirect(String scheme, String host, int port, String path, int code)
    implements Policy {

  /** Validates the parts. */
  public UrlRedirect {
    requireNonNull(scheme, "scheme");
    requireNonNull(host, "host");
    requireNonNull(path, "path");
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("scheme: " + scheme + " (expected: http or https)");
    }
    if (code != 301 && code != 302 && code != 303 && code != 307 && code != 308) {
      throw new IllegalArgumentException(
          "code: " + code + " (expected: 301, 302, 303, 307 or 308)");
    }
  }
}
