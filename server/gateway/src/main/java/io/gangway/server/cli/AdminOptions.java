package io.gangway.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code AdminOptions} are the options of the commands that ask a running gateway's admin API
 * ({@code status}, {@code routes}, {@code clusters}, {@code endpoints}, {@code config-dump}): where
 * it is, the output format, and the bearer token ({@code GANGWAY_ADMIN_TOKEN}).
 */
final class AdminOptions {

  /** Exit status: the admin API answered and all is well. */
  static final int OK = 0;

  /** Exit status: the admin API answered, but not ready, no Envoy, or an unknown name. */
  static final int NOT_OK = 1;

  /** Exit status: the admin API cannot be reached or refused the token. */
  static final int UNREACHABLE = 3;

  static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--admin",
      paramLabel = "URL",
      description =
          "the admin API (default: $GANGWAY_ADMIN_URL, else admin.address/port of --config, else"
              + " http://127.0.0.1:15020)")
  @Nullable String admin;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "gangway.yaml to read admin.address/port from (default: conf/gangway.yaml)")
  @Nullable Path config;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "table (default) or json (the admin API's raw answer)")
  String output = "table";

  Map<String, String> env = System.getenv();

  /** The admin API could not be asked; the message says why and what to do. */
  static final class AdminException extends Exception {
    private static final long serialVersionUID = 1L;

    AdminException(String message) {
      super(message);
    }
  }

  /** An answer of the admin API. */
  record Answer(int status, String body) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  boolean json() {
    return output.equalsIgnoreCase("json");
  }

  /** Returns the admin API's base URL, without a trailing slash. */
  String base() {
    String url = admin;
    if (url == null || url.isBlank()) {
      url = env.get("GANGWAY_ADMIN_URL");
    }
    if (url == null || url.isBlank()) {
      url = fromConfig();
    }
    if (url == null) {
      url = "http://127.0.0.1:15020";
    }
    if (!url.contains("://")) {
      url = "http://" + url;
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private @Nullable String fromConfig() {
    Path file = config;
    if (file == null) {
      String home = env.get("GANGWAY_HOME");
      file = home == null ? Path.of("conf/gangway.yaml") : Path.of(home, "conf/gangway.yaml");
      if (!Files.isRegularFile(file)) {
        return null;
      }
    }
    try {
      JsonNode admin = new ObjectMapper(new YAMLFactory()).readTree(file.toFile()).path("admin");
      String address = admin.path("address").asText("127.0.0.1");
      if (address.isEmpty() || address.equals("0.0.0.0")) {
        address = "127.0.0.1";
      } else if (address.equals("::")) {
        address = "::1";
      }
      if (address.contains(":")) {
        address = "[" + address + "]";
      }
      return "http://" + address + ":" + admin.path("port").asInt(15020);
    } catch (IOException e) {
      return null;
    }
  }

  /** Returns {@code text} encoded as one path segment. */
  static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * Returns the answer to {@code GET path}; 401 and no answer at all are {@link AdminException}s.
   */
  Answer get(String path) throws AdminException {
    String url = base() + path;
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET();
    String token = env.get("GANGWAY_ADMIN_TOKEN");
    if (token != null && !token.isBlank()) {
      request.header("Authorization", "Bearer " + token.trim());
    }
    HttpResponse<String> response;
    try {
      response =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(3))
              .build()
              .send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AdminException(
          "the admin API at "
              + base()
              + " does not answer ("
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
              + "). Fix: is gangway running? Pass --admin URL or set GANGWAY_ADMIN_URL.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AdminException("interrupted");
    }
    if (response.statusCode() == 401) {
      throw new AdminException(
          "the admin API at "
              + base()
              + " refused the request (401). Fix: set GANGWAY_ADMIN_TOKEN to admin.token.");
    }
    return new Answer(response.statusCode(), response.body());
  }

  /** Prints {@code e} and returns {@link #UNREACHABLE}. */
  static int fail(AdminException e) {
    System.err.println("gangway: error: " + e.getMessage());
    return UNREACHABLE;
  }

  /** Prints the admin API's error answer and returns {@link #NOT_OK}. */
  static int answered(Answer a) {
    String message = a.body().trim();
    try {
      JsonNode error = a.json().path("error");
      if (error.isTextual()) {
        message = error.asText();
      }
    } catch (IOException e) {
      // not JSON: print the body as it is
    }
    System.err.println("gangway: error: the admin API answered " + a.status() + ": " + message);
    return NOT_OK;
  }

  /** Returns {@code node}'s text, or {@code null} for a missing or JSON null node. */
  static @Nullable String text(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? null : node.asText();
  }
}
