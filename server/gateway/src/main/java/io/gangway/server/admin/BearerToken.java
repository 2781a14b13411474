package io.gangway.server.admin;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;

/**
 * {@code BearerToken} admits a request only with {@code Authorization: Bearer <token>}, compared in
 * constant time; without a token configured (loopback) it admits everything. A refusal is 401 with
 * {@code WWW-Authenticate: Bearer} and says nothing about the gateway.
 */
final class BearerToken extends Filter {

  private final byte @Nullable [] expected;

  BearerToken(@Nullable String token) {
    this.expected = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void doFilter(HttpExchange ex, Chain chain) throws IOException {
    byte[] want = expected;
    String got = ex.getRequestHeaders().getFirst("Authorization");
    if (want == null
        || (got != null && MessageDigest.isEqual(want, got.getBytes(StandardCharsets.UTF_8)))) {
      chain.doFilter(ex);
      return;
    }
    byte[] body = "unauthorized\n".getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
    ex.getResponseHeaders().set("Content-Type", "text/plain");
    ex.sendResponseHeaders(401, body.length);
    try (var out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public String description() {
    return "bearer token";
  }
}
