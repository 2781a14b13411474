package io.gangway.testing.nacos;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The default {@code nacos} auth plugin, reduced to one user: login with username and password
 * yields an access token, and secured requests must carry a token that login issued (header {@code
 * accessToken}, or {@code Authorization: Bearer <token>}). The user is a global admin, so there are
 * no per-resource permissions. Disabled when no username was configured. Thread-safe.
 */
final class AuthGate {

  /** {@code AbstractAuthenticationManager.USER_NOT_FOUND_MESSAGE}. */
  static final String USER_NOT_FOUND =
      "User not found! Please check user exist or password is right!";

  /** Default {@code nacos.core.auth.plugin.nacos.token.expire.seconds}. */
  static final long TOKEN_TTL_SECONDS = 18_000;

  private final @Nullable String username;
  private final @Nullable String password;
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final SecureRandom random = new SecureRandom();

  AuthGate(@Nullable String username, @Nullable String password) {
    this.username = username;
    this.password = password;
  }

  boolean enabled() {
    return username != null;
  }

  /**
   * Whether {@code user} is the configured user (a real server answers a wrong password 500, an
   * unknown user 403).
   */
  boolean knowsUser(@Nullable String user) {
    return username != null && username.equals(user);
  }

  /** Returns a new token, or null when the credentials do not match. */
  @Nullable String login(@Nullable String user, @Nullable String pass) {
    if (username == null || !username.equals(user) || password == null || !password.equals(pass)) {
      return null;
    }
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    String token = "double." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    tokens.add(token);
    return token;
  }

  /** Invalidates every issued token. */
  void revokeAll() {
    tokens.clear();
  }

  /**
   * Checks one secured request; {@code header} looks a header or parameter up by name. Returns null
   * when allowed, else the message the server's auth filter would put into its 403 answer.
   */
  @Nullable String reject(Function<String, @Nullable String> header) {
    if (!enabled()) {
      return null;
    }
    String token = null;
    String authorization = header.apply("Authorization");
    if (authorization != null && authorization.startsWith("Bearer ")) {
      token = authorization.substring("Bearer ".length());
    }
    if (token == null || token.isBlank()) {
      token = header.apply("accessToken");
    }
    if (token == null || token.isBlank()) {
      return "Code: 401, Message: " + USER_NOT_FOUND + ".";
    }
    return tokens.contains(token) ? null : "Code: 401, Message: token invalid!.";
  }
}
