package io.gangway.registry.consul;

import io.gangway.spi.registry.RegistryConfig;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * {@code ConsulSettings} is the validated view of one {@code consul} McpBridge registry entry.
 *
 * @param scheme {@code http}, or {@code https} when the domain starts with {@code https://}
 * @param host the Consul agent host (an IPv6 literal is kept in brackets)
 * @param port the Consul HTTP port
 * @param datacenter {@code consulDatacenter}; sent as {@code dc=} and part of every host name
 * @param serviceTag {@code consulServiceTag}, trimmed and lower-cased; empty means every service
 * @param refreshInterval how often the catalog's service list is re-read
 * @param token the ACL token, or {@code null} for the anonymous token
 */
record ConsulSettings(
    String scheme,
    String host,
    int port,
    String datacenter,
    String serviceTag,
    Duration refreshInterval,
    @Nullable String token) {

  /** Higress's default for {@code consulRefreshInterval}. */
  static final Duration DEFAULT_REFRESH = Duration.ofSeconds(30);

  /** Higress clamps shorter {@code consulRefreshInterval} values to this. */
  static final Duration MIN_REFRESH = Duration.ofSeconds(10);

  /**
   * Test-only Gangway field (milliseconds): replaces {@code consulRefreshInterval} without the 10 s
   * minimum, so tests see catalog changes quickly. Not a Higress field; never set it in production.
   */
  static final String TEST_REFRESH_FIELD = "testRefreshIntervalMillis";

  /**
   * Reads and validates {@code config}; throws {@link IllegalArgumentException} naming the field.
   */
  static ConsulSettings from(RegistryConfig config) {
    String domain = str(config, "domain");
    String scheme = domain.regionMatches(true, 0, "https://", 0, 8) ? "https" : "http";
    String host = host(domain);
    int port = config.integer("port", 8500);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "port: " + port + " (expected: 1-65535, the Consul HTTP port, e.g. 8500)");
    }
    String datacenter = str(config, "consulDatacenter");
    if (datacenter.isEmpty()) {
      // Higress would generate "<svc>..consul"; a required field is the safer reading.
      throw new IllegalArgumentException(
          "consulDatacenter: '' (expected: the datacenter name, e.g. dc1; it is part of every generated host)");
    }
    String tag = str(config, "consulServiceTag").toLowerCase(Locale.ROOT);
    return new ConsulSettings(scheme, host, port, datacenter, tag, refresh(config), token(config));
  }

  /**
   * Returns the service host Higress generates: {@code <service>.<dc>.consul}, every {@code _} →
   * {@code -}.
   */
  String serviceHost(String service) {
    return (service + "." + datacenter + ".consul").replace('_', '-');
  }

  /** Returns {@code http(s)://host:port}, for messages. */
  String address() {
    return scheme + "://" + host + ":" + port;
  }

  private static String str(RegistryConfig config, String field) {
    String v = config.string(field, "");
    return v == null ? "" : v.trim();
  }

  private static String host(String domain) {
    String d = domain;
    if (d.regionMatches(true, 0, "http://", 0, 7)) {
      d = d.substring(7);
    } else if (d.regionMatches(true, 0, "https://", 0, 8)) {
      d = d.substring(8); // TLS, verified against the JVM's trust store
    }
    if (d.endsWith("/")) {
      d = d.substring(0, d.length() - 1);
    }
    if (d.isEmpty()) {
      throw new IllegalArgumentException("domain: '' (expected: the Consul agent host name or IP)");
    }
    if (d.contains(":") && !d.startsWith("[")) {
      if (d.chars().filter(c -> c == ':').count() == 1) {
        throw new IllegalArgumentException(
            "domain: '" + domain + "' (expected: a host without port; use the port field)");
      }
      d = "[" + d + "]"; // a bare IPv6 literal
    }
    if (d.contains("/") || d.contains(" ")) {
      throw new IllegalArgumentException(
          "domain: '" + domain + "' (expected: a host name or IP, no path)");
    }
    return d;
  }

  private static Duration refresh(RegistryConfig config) {
    Object test = config.spec().get(TEST_REFRESH_FIELD);
    if (test != null) {
      long millis = number(TEST_REFRESH_FIELD, test);
      if (millis < 1) {
        throw new IllegalArgumentException(TEST_REFRESH_FIELD + ": " + test + " (expected: > 0)");
      }
      return Duration.ofMillis(millis);
    }
    Object raw = config.spec().get("consulRefreshInterval");
    if (raw == null) {
      return DEFAULT_REFRESH;
    }
    long nanos = number("consulRefreshInterval", raw);
    if (nanos < 0) {
      throw new IllegalArgumentException(
          "consulRefreshInterval: " + raw + " (expected: nanoseconds >= 0)");
    }
    Duration d = Duration.ofNanos(nanos);
    return d.compareTo(MIN_REFRESH) < 0 ? MIN_REFRESH : d;
  }

  private static long number(String field, Object v) {
    if (v instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + ": " + v + " (expected: an integer)", e);
    }
  }

  private static @Nullable String token(RegistryConfig config) {
    String token = str(config, "consulToken");
    if (!token.isEmpty()) {
      return token;
    }
    // authSecretName is resolved by the translator (a Secret in the route source, key consulToken),
    // which adds consulToken; a Secret without that key means no token, as in Higress.
    return null;
  }

  @Override
  public String toString() {
    // Never print the token.
    return "ConsulSettings{"
        + address()
        + ", dc="
        + datacenter
        + ", tag="
        + serviceTag
        + ", refresh="
        + refreshInterval
        + ", token="
        + (token == null ? "none" : "***")
        + "}";
  }
}
