package io.gangway.server.devtools;

import java.util.Locale;
import java.util.Map;

/**
 * The request line and headers of one HTTP/1.x request, as read by {@link HttpRequestReader}.
 *
 * @param method the request method, case preserved
 * @param target the raw request target, exactly as sent (path plus query, or absolute form)
 * @param version {@code HTTP/1.0} or {@code HTTP/1.1}
 * @param headers lower-cased names in arrival order; a repeated header's values are joined by a
 *     comma and a space
 */
record RequestHead(String method, String target, String version, Map<String, String> headers) {

  /** Returns the value of the header with the given lower-case name, or {@code null}. */
  String header(String lowerCaseName) {
    return headers.get(lowerCaseName);
  }

  /** Whether the comma-separated header {@code name} lists {@code token} (case-insensitive). */
  boolean hasToken(String name, String token) {
    String value = header(name);
    if (value == null) {
      return false;
    }
    for (String element : value.split(",", -1)) {
      if (element.trim().equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }

  boolean isHttp11() {
    return version.equals("HTTP/1.1");
  }

  /** HTTP/1.1 stays open unless told to close; HTTP/1.0 closes unless asked to keep alive. */
  boolean keepAlive() {
    if (hasToken("connection", "close")) {
      return false;
    }
    return isHttp11() || hasToken("connection", "keep-alive");
  }

  /**
   * Whether this asks to switch to WebSocket (RFC 6455 section 4.2.1); details are checked later.
   */
  boolean isWebSocketUpgrade() {
    return hasToken("upgrade", "websocket")
        && hasToken("connection", "upgrade")
        && header("sec-websocket-key") != null;
  }

  /** Whether the client waits for {@code 100 Continue} before sending its body. */
  boolean expectsContinue() {
    String expect = header("expect");
    return isHttp11() && expect != null && expect.trim().equalsIgnoreCase("100-continue");
  }

  /** The path of the target without query, also for absolute-form targets sent to proxies. */
  String path() {
    String path = target;
    String lower = target.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      int slash = target.indexOf('/', target.indexOf("//") + 2);
      path = slash < 0 ? "/" : target.substring(slash);
    }
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }
}
