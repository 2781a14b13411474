package io.gangway.registry.eureka;

import io.gangway.spi.registry.RegistryConfig;
import java.net.URI;
import java.time.Duration;

/**
 * {@code EurekaSettings} is the validated view of one {@code eureka} McpBridge registry entry.
 *
 * @param appsUri {@code http://<domain>:<port>/eureka/apps}, the full-registry URL
 * @param refreshInterval how often the full registry is fetched
 */
record EurekaSettings(URI appsUri, Duration refreshInterval) {

  /** Higress's full-refresh period. */
  static final Duration DEFAULT_REFRESH = Duration.ofSeconds(30);

  /**
   * Test-only Gangway field (milliseconds) replacing the 30 s refresh, so tests see changes
   * quickly. Not a Higress field; never set it in production.
   */
  static final String TEST_REFRESH_FIELD = "testRefreshIntervalMillis";

  /**
   * Reads and validates {@code config}; throws {@link IllegalArgumentException} naming the field.
   */
  static EurekaSettings from(RegistryConfig config) {
    String raw = config.string("domain", "");
    String domain = raw == null ? "" : raw.trim();
    String scheme = "http";
    if (domain.regionMatches(true, 0, "http://", 0, 7)) {
      domain = domain.substring(7);
    } else if (domain.regionMatches(true, 0, "https://", 0, 8)) {
      domain = domain.substring(8);
      scheme = "https";
    }
    if (domain.endsWith("/")) {
      domain = domain.substring(0, domain.length() - 1);
    }
    if (domain.isEmpty()) {
      throw new IllegalArgumentException(
          "domain: '' (expected: the Eureka server host name or IP)");
    }
    long colons = domain.chars().filter(c -> c == ':').count();
    if (colons == 1 && !domain.startsWith("[")) {
      throw new IllegalArgumentException(
          "domain: '" + raw + "' (expected: a host without port; use the port field)");
    }
    if (colons > 1 && !domain.startsWith("[")) {
      domain = "[" + domain + "]"; // a bare IPv6 literal
    }
    if (domain.contains("/") || domain.contains(" ")) {
      throw new IllegalArgumentException(
          "domain: '" + raw + "' (expected: a host name or IP, no path)");
    }
    int port = config.integer("port", 8761);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "port: " + port + " (expected: 1-65535, the Eureka server port, e.g. 8761)");
    }
    URI uri;
    try {
      uri = URI.create(scheme + "://" + domain + ":" + port + "/eureka/apps");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "domain: '" + raw + "' (expected: a valid host name or IP)", e);
    }
    return new EurekaSettings(uri, refresh(config));
  }

  private static Duration refresh(RegistryConfig config) {
    Object test = config.spec().get(TEST_REFRESH_FIELD);
    if (test == null) {
      return DEFAULT_REFRESH;
    }
    long millis;
    try {
      millis = test instanceof Number n ? n.longValue() : Long.parseLong(test.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          TEST_REFRESH_FIELD + ": " + test + " (expected: an integer)", e);
    }
    if (millis < 1) {
      throw new IllegalArgumentException(TEST_REFRESH_FIELD + ": " + test + " (expected: > 0)");
    }
    return Duration.ofMillis(millis);
  }
}
