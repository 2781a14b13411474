package io.gangway.echo;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@code Json} writes the echo documents (RFC 8259) by hand: two fixed shapes need no mapper. */
final class Json {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Json() {}

  /** The document describing an HTTP request, as specified in {@link EchoServer}. */
  static byte[] echo(
      String backend,
      String method,
      String target,
      @Nullable String host,
      Map<String, String> headers,
      byte[] body) {
    StringBuilder json = new StringBuilder(256 + body.length);
    json.append("{\"backend\":");
    appendString(json, backend);
    json.append(",\"method\":");
    appendString(json, method);
    json.append(",\"path\":");
    appendString(json, target);
    json.append(",\"host\":");
    appendString(json, host);
    json.append(",\"headers\":{");
    String separator = "";
    for (Map.Entry<String, String> header : headers.entrySet()) {
      json.append(separator);
      appendString(json, header.getKey());
      json.append(':');
      appendString(json, header.getValue());
      separator = ",";
    }
    json.append("},\"body\":");
    // Not-UTF-8 bytes become U+FFFD: the body is documented as a string, not as bytes.
    appendString(json, new String(body, UTF_8));
    return json.append('}').toString().getBytes(UTF_8);
  }

  /** The document sent with a refusal: which backend refused and why. */
  static byte[] error(String backend, String message) {
    StringBuilder json = new StringBuilder(64 + message.length());
    json.append("{\"backend\":");
    appendString(json, backend);
    json.append(",\"error\":");
    appendString(json, message);
    return json.append('}').toString().getBytes(UTF_8);
  }

  /** Appends {@code value} as a JSON string literal, or {@code null} for a null reference. */
  static void appendString(StringBuilder json, @Nullable String value) {
    if (value == null) {
      json.append("null");
      return;
    }
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        case '\b' -> json.append("\\b");
        case '\f' -> json.append("\\f");
        default -> appendChar(json, c);
      }
    }
    json.append('"');
  }

  private static void appendChar(StringBuilder json, char c) {
    // Control characters must be escaped; U+2028/2029 too, so the output is valid JavaScript too.
    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
      json.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]);
      json.append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
    } else {
      json.append(c);
    }
  }
}
