package io.gangway.registry.nacos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code NacosV1Login} holds the access token of a Nacos server with auth on: {@code POST
 * /nacos/v1/auth/login} (or {@code /nacos/v1/auth/users/login} where that answers 404) with
 * username and password yields {@code accessToken} and {@code tokenTtl} (seconds). The token is
 * renewed when 90 % of its lifetime has passed (as nacos-client does), and dropped by {@link
 * #invalidate} when a request answers 403, so that the next request logs in again. Without a
 * username it does nothing: the server is assumed to run without auth. The password is never part
 * of a message or log line. Used by the registry's one thread only.
 */
final class NacosV1Login {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final String baseUrl;
  private final @Nullable String username;
  private final @Nullable String password;
  private @Nullable String token;
  private long renewAtNanos;

  NacosV1Login(
      HttpClient http, String baseUrl, @Nullable String username, @Nullable String password) {
    this.http = http;
    this.baseUrl = baseUrl;
    this.username = username == null || username.isEmpty() ? null : username;
    this.password = password;
  }

  boolean enabled() {
    return username != null;
  }

  /** Returns a valid access token (logging in when needed), or null when auth is not configured. */
  @Nullable String token() throws IOException, InterruptedException {
    if (username == null) {
      return null;
    }
    if (token == null || System.nanoTime() - renewAtNanos >= 0) {
      login();
    }
    return token;
  }

  /** Forgets the token after the server refused it; the next {@link #token} logs in again. */
  void invalidate() {
    token = null;
  }

  private void login() throws IOException, InterruptedException {
    String form =
        "username="
            + URLEncoder.encode(username, StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(password == null ? "" : password, StandardCharsets.UTF_8);
    String what = "login to " + baseUrl + " as user '" + username + "'";
    HttpResponse<String> r;
    try {
      r = post("/nacos/v1/auth/login", form);
      if (r.statusCode() == 404) {
        r = post("/nacos/v1/auth/users/login", form); // the same login under its newer path
      }
    } catch (IOException e) {
      throw new IOException(what + " failed: " + e, e);
    }
    if (r.statusCode() != 200) {
      // Nacos 3.0.3 answers 500 for a wrong password and 403 for an unknown user.
      throw new IOException(
          what
              + " failed: HTTP "
              + r.statusCode()
              + (r.statusCode() == 403 || r.statusCode() == 500
                  ? " (check nacosUsername/nacosPassword)"
                  : ""));
    }
    JsonNode body = JSON.readTree(r.body());
    String t = body.path("accessToken").asText("");
    if (t.isEmpty()) {
      throw new IOException(what + " failed: the answer has no accessToken");
    }
    long ttlSeconds = Math.max(1, body.path("tokenTtl").asLong(18_000));
    token = t;
    renewAtNanos = System.nanoTime() + Duration.ofSeconds(ttlSeconds).toNanos() / 10 * 9;
  }

  private HttpResponse<String> post(String path, String form)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
