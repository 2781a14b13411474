package io.gangway.xds;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code ListenerSettings} are the static, operator-owned settings of one HTTP listener (from
 * {@code conf/gangway.yaml}). Routes never change them, which is what keeps listeners byte-stable
 * across route edits.
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
 */
public record ListenerSettings(
    String address,
    int port,
    @Nullable String accessLogPath,
    int xffNumTrustedHops,
    Duration requestHeadersTimeout,
    Duration idleTimeout,
    Duration streamIdleTimeout,
    int maxRequestHeadersKb) {

  /** Validates all parts. */
  public ListenerSettings {
    requireNonNull(address, "address");
    requireNonNull(requestHeadersTimeout, "requestHeadersTimeout");
    requireNonNull(idleTimeout, "idleTimeout");
    requireNonNull(streamIdleTimeout, "streamIdleTimeout");
  }

  /** Returns settings with the documented defaults for {@code address:port}. */
  public static ListenerSettings defaults(String address, int port) {
    return new ListenerSettings(address, port, null, 0, Duration.ofSeconds(10), Duration.ofHours(1),
        Duration.ofMinutes(5), 60);
  }

  /** Returns the listener name, {@code http.<port>}; the route configuration has the same name. */
  public String name() {
    return "http." + port;
  }
}
