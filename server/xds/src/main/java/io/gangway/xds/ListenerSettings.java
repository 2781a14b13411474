package io.gangway.xds;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code ListenerSettings} are the static, operator-owned settings of one HTTP or HTTPS listener
 * (from {@code conf/gangway.yaml}). Routes never change them, which is what keeps plain listeners
 * byte-stable across route edits (an HTTPS listener also depends on which hosts have certificates,
 * never on the certificates' content).
 *
 * @param address bind address
 * @param port bind port
 * @param accessLogPath access log file, {@code null} for none
 * @param xffNumTrustedHops how many proxies in front of Gangway append to {@code x-forwarded-for}
 * @param requestHeadersTimeout time allowed to receive the request headers
 * @param idleTimeout idle time after which a downstream connection is closed
 * @param streamIdleTimeout idle time after which a request/stream is reset (not applied to upgraded
 *     websocket streams, which are long-lived by design)
 * @param maxRequestHeadersKb header size limit, in KiB
 * @param escapedSlashes what to do with {@code %2F}/{@code %5C} in paths: {@code keep}, {@code
 *     reject}, {@code unescape-and-redirect} (the default) or {@code unescape-and-forward}
 * @param tls whether the listener terminates TLS (HTTPS, with SNI-selected certificates and ALPN
 *     {@code h2}/{@code http/1.1}) instead of serving plain HTTP
 * @param accessLogFormat {@code json} (one JSON object per line, the documented fields), {@code
 *     text} (Envoy's default line) or a custom Envoy format string (contains {@code %})
 */
public record ListenerSettings(
    String address,
    int port,
    @Nullable String accessLogPath,
    int xffNumTrustedHops,
    Duration requestHeadersTimeout,
    Duration idleTimeout,
    Duration streamIdleTimeout,
    int maxRequestHeadersKb,
    String escapedSlashes,
    boolean tls,
    String accessLogFormat) {

  /** The accepted {@code escapedSlashes} values. */
  public static final java.util.List<String> ESCAPED_SLASHES =
      java.util.List.of("keep", "reject", "unescape-and-redirect", "unescape-and-forward");

  /** Validates all parts. */
  public ListenerSettings {
    requireNonNull(address, "address");
    if (!ESCAPED_SLASHES.contains(escapedSlashes)) {
      throw new IllegalArgumentException(
          "escapedSlashes: " + escapedSlashes + " (expected: one of " + ESCAPED_SLASHES + ")");
    }
    requireNonNull(requestHeadersTimeout, "requestHeadersTimeout");
    requireNonNull(idleTimeout, "idleTimeout");
    requireNonNull(streamIdleTimeout, "streamIdleTimeout");
    requireNonNull(accessLogFormat, "accessLogFormat");
    if (!accessLogFormat.equals("json")
        && !accessLogFormat.equals("text")
        && !accessLogFormat.contains("%")) {
      throw new IllegalArgumentException(
          "accessLogFormat: "
              + accessLogFormat
              + " (expected: json, text, or an Envoy format string such as \"%START_TIME% %REQ(:PATH)%\")");
    }
  }

  /** Returns these settings with access log format {@code format}. */
  public ListenerSettings withAccessLogFormat(String format) {
    return copy(address, port, tls, format);
  }

  /** Returns a copy with the given address, port, TLS flag and access log format. */
  private ListenerSettings copy(String toAddress, int toPort, boolean toTls, String format) {
    return new ListenerSettings(
        toAddress,
        toPort,
        accessLogPath,
        xffNumTrustedHops,
        requestHeadersTimeout,
        idleTimeout,
        streamIdleTimeout,
        maxRequestHeadersKb,
        escapedSlashes,
        toTls,
        format);
  }

  /** Returns the settings of a plain-HTTP listener with the JSON access log. */
  public ListenerSettings(
      String address,
      int port,
      @Nullable String accessLogPath,
      int xffNumTrustedHops,
      Duration requestHeadersTimeout,
      Duration idleTimeout,
      Duration streamIdleTimeout,
      int maxRequestHeadersKb,
      String escapedSlashes) {
    this(
        address,
        port,
        accessLogPath,
        xffNumTrustedHops,
        requestHeadersTimeout,
        idleTimeout,
        streamIdleTimeout,
        maxRequestHeadersKb,
        escapedSlashes,
        false,
        "json");
  }

  /** Returns these settings for a TLS listener at {@code address:port}. */
  public ListenerSettings asTls(String tlsAddress, int tlsPort) {
    return copy(tlsAddress, tlsPort, true, accessLogFormat);
  }

  /** Returns settings with the documented defaults for {@code address:port}. */
  public static ListenerSettings defaults(String address, int port) {
    return new ListenerSettings(
        address,
        port,
        null,
        0,
        Duration.ofSeconds(10),
        Duration.ofHours(1),
        Duration.ofMinutes(5),
        60,
        "unescape-and-redirect");
  }

  /**
   * Returns the listener name, {@code http.<port>} or {@code https.<port>}; the route configuration
   * has the same name.
   */
  public String name() {
    return (tls ? "https." : "http.") + port;
  }
}
