package io.gangway.server.devtools;

import static io.gangway.server.devtools.HttpProtocolException.badRequest;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads HTTP/1.x requests (RFC 9112) from one connection's input stream. Not thread-safe: it
 * belongs to the connection's thread.
 *
 * <p>Parsing is strict where leniency would hide a broken client or proxy (bad header syntax, both
 * {@code Content-Length} and {@code Transfer-Encoding}) and bounded everywhere, so a hostile or
 * buggy peer cannot make the server buffer without limit.
 */
final class HttpRequestReader {

  /** Request line plus headers; Envoy's own default limit (60 KiB) is below this. */
  static final int MAX_HEAD_BYTES = 64 * 1024;

  /** Bodies are echoed from memory, so they are capped. */
  static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  private static final int MAX_CHUNK_LINE_BYTES = 4 * 1024;
  private static final String TOKEN_CHARS = "!#$%&'*+-.^_`|~";

  private final InputStream in;
  private byte[] line = new byte[256];
  private int budget;
  private int overBudgetStatus;

  HttpRequestReader(InputStream in) {
    this.in = in;
  }

  /**
   * Reads the next request line and headers.
   *
   * @return the head, or {@code null} if the peer closed the connection between requests
   * @throws EOFException if the peer closed the connection in the middle of the head
   */
  RequestHead readHead() throws IOException, HttpProtocolException {
    limitLines(MAX_HEAD_BYTES, 431);
    String requestLine = readLine(true);
    while (requestLine != null && requestLine.isEmpty()) {
      requestLine = readLine(true); // RFC 9112 section 2.2: ignore empty lines before a request
    }
    if (requestLine == null) {
      return null;
    }
    String[] parts = requestLine.split(" ", -1);
    if (parts.length != 3 || !isToken(parts[0]) || !isValidTarget(parts[1])) {
      throw badRequest("malformed request line");
    }
    if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
      throw badRequest("unsupported protocol version " + parts[2]);
    }
    RequestHead head = new RequestHead(parts[0], parts[1], parts[2], readHeaders());
    if (head.isHttp11() && head.header("host") == null) {
      throw badRequest("HTTP/1.1 request without Host header"); // RFC 9112 section 3.2
    }
    return head;
  }

  /**
   * Reads the body framed by {@code head}: by {@code Content-Length}, by chunked transfer coding,
   * or empty when neither is present (requests never read until EOF).
   */
  byte[] readBody(RequestHead head) throws IOException, HttpProtocolException {
    String transferEncoding = head.header("transfer-encoding");
    String contentLength = head.header("content-length");
    if (transferEncoding != null) {
      if (contentLength != null) {
        // The classic request-smuggling ambiguity (RFC 9112 section 6.1): refuse rather than guess.
        throw badRequest("both Transfer-Encoding and Content-Length");
      }
      if (!transferEncoding.trim().equalsIgnoreCase("chunked")) {
        throw badRequest("unsupported Transfer-Encoding " + transferEncoding);
      }
      return readChunkedBody();
    }
    if (contentLength == null) {
      return new byte[0];
    }
    return readExactly(parseContentLength(contentLength));
  }

  private Map<String, String> readHeaders() throws IOException, HttpProtocolException {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String field = readLine(false); !field.isEmpty(); field = readLine(false)) {
      int colon = field.indexOf(':');
      String name = colon < 0 ? "" : field.substring(0, colon);
      if (!isToken(name)) {
        // Also rejects obsolete line folding, whose continuation lines start with whitespace.
        throw badRequest("malformed header line");
      }
      String value = trimWhitespace(field.substring(colon + 1));
      if (!isValidFieldValue(value)) {
        throw badRequest("control character in header " + name);
      }
      headers.merge(name.toLowerCase(Locale.ROOT), value, (first, next) -> first + ", " + next);
    }
    return Collections.unmodifiableMap(headers);
  }

  private byte[] readChunkedBody() throws IOException, HttpProtocolException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      limitLines(MAX_CHUNK_LINE_BYTES, 400);
      String sizeLine = readLine(false);
      int semicolon = sizeLine.indexOf(';'); // chunk extensions are allowed and ignored
      long size =
          parseHex(trimWhitespace(semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)));
      if (size == 0) {
        break;
      }
      if (body.size() + size > MAX_BODY_BYTES) {
        throw new HttpProtocolException(413, "request body exceeds " + MAX_BODY_BYTES + " bytes");
      }
      body.writeBytes(readExactly(size));
      if (!readLine(false).isEmpty()) {
        throw badRequest("chunk data not followed by CRLF");
      }
    }
    limitLines(MAX_HEAD_BYTES, 431);
    while (!readLine(false).isEmpty()) {
      // Trailer fields: read to keep the connection in sync, otherwise unused.
    }
    return body.toByteArray();
  }

  private byte[] readExactly(long length) throws IOException, HttpProtocolException {
    if (length > MAX_BODY_BYTES) {
      throw new HttpProtocolException(413, "request body exceeds " + MAX_BODY_BYTES + " bytes");
    }
    byte[] bytes = in.readNBytes((int) length);
    if (bytes.length < length) {
      throw new EOFException("connection closed inside request body");
    }
    return bytes;
  }

  /** Starts a byte budget for the following lines; exceeding it fails with {@code status}. */
  private void limitLines(int bytes, int status) {
    budget = bytes;
    overBudgetStatus = status;
  }

  /**
   * Reads one line, terminated by LF with an optional preceding CR (RFC 9112 section 2.2 lets a
   * recipient accept a bare LF), and decodes it as UTF-8 so non-ASCII header values echo readably.
   * Splitting on ASCII delimiters afterwards is safe: UTF-8 never puts ASCII bytes in a sequence.
   *
   * @param eofAllowed whether end of stream before the first byte returns {@code null}
   */
  private String readLine(boolean eofAllowed) throws IOException, HttpProtocolException {
    int length = 0;
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        if (length == 0 && eofAllowed) {
          return null;
        }
        throw new EOFException("connection closed inside request head");
      }
      if (--budget < 0) {
        throw new HttpProtocolException(overBudgetStatus, "request line or header too long");
      }
      if (length == line.length) {
        line = Arrays.copyOf(line, length * 2);
      }
      line[length++] = (byte) b;
    }
    budget--; // the LF
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    return new String(line, 0, length, UTF_8);
  }

  private static long parseContentLength(String value) throws HttpProtocolException {
    // Repeated headers were joined with ", "; identical repeats are allowed (RFC 9110 section 8.6).
    String[] values = value.split(",", -1);
    String first = trimWhitespace(values[0]);
    for (String other : values) {
      if (!trimWhitespace(other).equals(first)) {
        throw badRequest("conflicting Content-Length values");
      }
    }
    return parseNumber(first, 10, 18, "Content-Length");
  }

  private static long parseHex(String value) throws HttpProtocolException {
    return parseNumber(value, 16, 15, "chunk size");
  }

  /** Parses ASCII digits only: {@link Long#parseLong} would also accept signs. */
  private static long parseNumber(String value, int radix, int maxDigits, String what)
      throws HttpProtocolException {
    if (value.isEmpty() || value.length() > maxDigits) {
      throw badRequest("invalid " + what);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c > 0x7f || Character.digit(c, radix) < 0) { // ASCII only: digit() knows other scripts
        throw badRequest("invalid " + what);
      }
    }
    return Long.parseLong(value, radix);
  }

  private static String trimWhitespace(String value) {
    int start = 0;
    int end = value.length();
    while (start < end && isWhitespace(value.charAt(start))) {
      start++;
    }
    while (end > start && isWhitespace(value.charAt(end - 1))) {
      end--;
    }
    return value.substring(start, end);
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isToken(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean alphanumeric =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alphanumeric && TOKEN_CHARS.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isValidTarget(String target) {
    if (target.isEmpty()) {
      return false;
    }
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  private static boolean isValidFieldValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < ' ' && c != '\t') || c == 0x7f) {
        return false;
      }
    }
    return true;
  }
}
